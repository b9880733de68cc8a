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
 * A model trained on a seeded orders export by the trainer's own sequence (orders reader,
 * derivation, {@link Trainer}), with customer value: what the score API answers from when it is
 * sent orders. Built once per JVM.
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

  /** A model trained on {@code csv} (the default orders columns and options). */
  public static RetentionModel train(String csv, String version) throws IOException {
    OrderExportReader.Result read =
        OrderExportReader.read(
            new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
            ExportFormat.of("o.csv").orElseThrow(),
            OrdersSchema.defaults(),
            null);
    RfmFeatures.Derived derived =
        RfmFeatures.forTraining(read.book(), read.columns(), RfmOptions.defaults());
    return new Trainer(TrainingOptions.defaults())
        .train(
            OrdersDerivation.input(
                derived, read.book().grain(), read.rowsRead(), 0, List.of(), null, Map.of()),
            new Trainer.Identity("default", version, Instant.EPOCH));
  }
}
