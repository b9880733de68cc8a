package dev.retention.testing;

import dev.retention.data.ExportFormat;
import dev.retention.data.OrderExportReader;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeatures;
import dev.retention.features.RfmOptions;
import dev.retention.model.RetentionModel;
import dev.retention.training.OrdersDerivation;
import dev.retention.training.Trainer;
import dev.retention.training.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Models trained on orders exports by the trainer's own sequence (orders reader, derivation, {@link
 * OrdersDerivation#input}, {@link Trainer}), with customer value: the one fixture for tests that
 * need an orders model, so none builds a {@code Trainer.Input} by hand. {@link #synthetic()} is
 * what the score API answers from when it is sent orders, built once per JVM.
 */
public final class OrdersModels {

  /** The last order day of the export. */
  public static final LocalDate LAST_DAY = LocalDate.of(2026, 10, 31);

  /**
   * The export and its model.
   *
   * @param csv the orders export (CSV with the default columns)
   * @param model the model trained on it, version {@code orders-v1}
   */
  public record Trained(String csv, RetentionModel model) {}

  private static Trained synthetic;

  private OrdersModels() {}

  /** 30,000 orders of 3,000 customers ending on {@link #LAST_DAY}, and its model. */
  public static synchronized Trained synthetic() {
    if (synthetic == null) {
      try {
        StringWriter orders = new StringWriter();
        SyntheticOrders.write(orders, 30_000, 3_000, LAST_DAY, 4L);
        synthetic = new Trained(orders.toString(), train(orders.toString(), "orders-v1"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return synthetic;
  }

  /**
   * An orders export read and derived as the train function reads and derives it (default columns).
   *
   * @param read what the orders reader made of it
   * @param derived the customers' features and labels
   */
  public record Derivation(OrderExportReader.Result read, RfmFeatures.Derived derived) {

    /** The trainer's input, by the production mapping ({@link OrdersDerivation#input}). */
    public Trainer.Input input() {
      return OrdersDerivation.input(
          derived, read.book().grain(), read.rowsRead(), 0, List.of(), null, Map.of());
    }
  }

  /** {@code csv} (the default orders columns) read and derived with {@code rfm}. */
  public static Derivation derive(String csv, RfmOptions rfm) throws IOException {
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("o.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    return new Derivation(read, RfmFeatures.forTraining(read.book(), read.columns(), rfm));
  }

  /** A model trained on {@code derivation}, named {@code default}, created at the epoch. */
  public static RetentionModel train(
      Derivation derivation, TrainingOptions options, String version) {
    return new Trainer(options)
        .train(derivation.input(), new Trainer.Identity("default", version, Instant.EPOCH));
  }

  /** A model trained on {@code csv} with {@code options}, derived with {@code rfm}. */
  public static RetentionModel train(
      String csv, TrainingOptions options, RfmOptions rfm, String version) throws IOException {
    return train(derive(csv, rfm), options, version);
  }

  /** A model trained on {@code csv} (the default orders columns and options). */
  public static RetentionModel train(String csv, String version) throws IOException {
    return train(csv, TrainingOptions.defaults(), RfmOptions.defaults(), version);
  }
}
