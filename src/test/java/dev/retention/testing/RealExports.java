package dev.retention.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The real public exports under {@code src/test/resources/real/} (source and licence in each
 * folder's {@code SOURCE.md}), their bytes as shipped, the settings that read them and the
 * generated exports in the shapes of {@link ShopifyExports} and {@link EuropeanLocaleExports} (the
 * README's worked examples), and their rows read the plain way for {@link PlainDerivation}.
 */
public final class RealExports {

  private RealExports() {}

  /** The UCI Online Retail line items, sampled by customer (CC BY 4.0). */
  public static final String ONLINE_RETAIL = "/real/online-retail/online_retail_by_customer.csv.gz";

  /** The head of UCI Online Retail's widely shared CSV form: US dates, CRLF. */
  public static final String ONLINE_RETAIL_HEAD =
      "/real/online-retail/online_retail_kaggle_head.csv";

  /** CDNOW's order log (one row per purchase, no order id). */
  public static final String CDNOW = "/real/cdnow-elog/cdnowElog.csv";

  /** The Groceries purchase log: member, day, item; no amount, no order id. */
  public static final String GROCERIES = "/real/groceries/Groceries_dataset.csv.gz";

  /**
   * The settings that read Shopify's orders export ({@link ShopifyExports}) as shipped, an order
   * per row with a total.
   */
  public static final Map<String, String> SHOPIFY_SETTINGS =
      Map.of(
          "retention.orders.customer-id-column", "Email",
          "retention.orders.order-id-column", "Name",
          "retention.orders.order-date-column", "Created at",
          "retention.orders.amount-column", "Total",
          "retention.orders.status-column", "Financial Status",
          "retention.orders.refund-statuses", "refunded,voided",
          "retention.orders.date-formats", "yyyy-MM-dd HH:mm:ss xx",
          "retention.orders.order-cells", "ONE_ROW");

  /**
   * The settings that read Superstore-shaped order lines as a European-locale spreadsheet saves
   * them ({@link EuropeanLocaleExports}): {@code ;} between fields, decimal commas, {@code
   * dd/MM/yyyy}, a UTF-8 BOM, CRLF.
   */
  public static final Map<String, String> SUPERSTORE_SETTINGS =
      Map.of(
          "retention.orders.customer-id-column", "Customer ID",
          "retention.orders.order-id-column", "Order ID",
          "retention.orders.order-date-column", "Order Date",
          "retention.orders.amount-column", "Sales",
          "retention.orders.items-column", "Quantity",
          "retention.orders.grain", "LINE",
          "retention.orders.date-formats", "dd/MM/yyyy",
          "retention.export.delimiter", ";",
          "retention.export.decimal-separator", ",");

  /** The settings that read the UCI export as shipped (README, "Export dialects"). */
  public static final Map<String, String> ONLINE_RETAIL_SETTINGS =
      Map.of(
          "retention.orders.customer-id-column", "CustomerID",
          "retention.orders.order-id-column", "InvoiceNo",
          "retention.orders.order-date-column", "InvoiceDate",
          "retention.orders.quantity-column", "Quantity",
          "retention.orders.unit-price-column", "UnitPrice",
          "retention.orders.items-column", "Quantity",
          "retention.orders.cancel-prefix", "C",
          "retention.orders.grain", "LINE",
          "retention.orders.time-zone", "Europe/London");

  /** The settings that read CDNOW's order log as shipped. */
  public static final Map<String, String> CDNOW_SETTINGS =
      Map.of(
          "retention.orders.customer-id-column", "sampleid",
          "retention.orders.order-date-column", "date",
          "retention.orders.amount-column", "sales",
          "retention.orders.items-column", "cds",
          "retention.orders.order-key", "CUSTOMER_DAY",
          "retention.orders.date-formats", "yyyyMMdd");

  /** The settings that read the Groceries purchase log as shipped. */
  public static final Map<String, String> GROCERIES_SETTINGS =
      Map.of(
          "retention.orders.customer-id-column", "Member_number",
          "retention.orders.order-date-column", "Date",
          "retention.orders.money", "false",
          "retention.orders.order-key", "CUSTOMER_DAY",
          "retention.orders.date-formats", "dd-MM-yyyy");

  /**
   * The train function's settings under {@code settings}, as the function builds them from the
   * packaged application.properties (the README's settings are exactly what the tests read with).
   */
  public static dev.retention.service.train.TrainSettings trainSettings(
      Map<String, String> settings) {
    io.smallrye.config.SmallRyeConfig config = config(settings);
    return dev.retention.config.ConfiguredSettings.train(
        config.getConfigMapping(dev.retention.config.RetentionConfig.class), config);
  }

  /** The packaged application.properties under {@code settings}, checked for unknown keys. */
  public static io.smallrye.config.SmallRyeConfig config(Map<String, String> settings) {
    try {
      io.smallrye.config.SmallRyeConfig config =
          new io.smallrye.config.SmallRyeConfigBuilder()
              .withMapping(dev.retention.config.RetentionConfig.class)
              .withConverter(
                  java.time.Duration.class,
                  200,
                  new io.quarkus.runtime.configuration.DurationConverter())
              .withSources(
                  new io.smallrye.config.PropertiesConfigSource(
                      RealExports.class.getResource("/application.properties")))
              .withSources(new io.smallrye.config.PropertiesConfigSource(settings, "settings", 500))
              .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
              .build();
      dev.retention.config.KnownSettings.check(config, Map.of());
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's bytes as stored (gzip stays gzip). */
  public static byte[] bytes(String resource) {
    try (InputStream in = RealExports.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's text (gunzipped when stored as gzip). */
  public static String text(String resource) {
    byte[] raw = bytes(resource);
    if (!resource.endsWith(".gz")) {
      return new String(raw, StandardCharsets.UTF_8);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The same lines after the header in another order (line ends kept as they were). */
  public static String shuffled(String text, long seed) {
    List<String> lines = new ArrayList<>(List.of(text.split("(?<=\n)")));
    String header = lines.remove(0);
    if (!lines.isEmpty() && !lines.get(lines.size() - 1).endsWith("\n")) {
      // A last line without a line end (as the CSV head ships) gets the file's own line end.
      lines.set(
          lines.size() - 1,
          lines.get(lines.size() - 1) + (header.endsWith("\r\n") ? "\r\n" : "\n"));
    }
    Collections.shuffle(lines, new Random(seed));
    return header + String.join("", lines);
  }

  public static byte[] gzip(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static List<List<String>> records(String text) {
    List<List<String>> out = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isEmpty()) {
        out.add(PlainDerivation.fields(lines[i], ','));
      }
    }
    return out;
  }

  /** The UCI rows with a customer id, the plain way: day of InvoiceDate, Quantity × UnitPrice. */
  public static List<PlainDerivation.Row> onlineRetailRows(String text) {
    DateTimeFormatter format =
        text.contains("/2010 ")
            ? DateTimeFormatter.ofPattern("M/d/yyyy H:mm")
            : DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    List<PlainDerivation.Row> rows = new ArrayList<>();
    for (List<String> f : records(text)) {
      String customer = f.get(6);
      if (customer.isEmpty()) {
        continue; // a guest line
      }
      String invoice = f.get(0);
      double quantity = Double.parseDouble(f.get(3));
      double amount = quantity * Double.parseDouble(f.get(5));
      long day = LocalDateTime.parse(f.get(4), format).toLocalDate().toEpochDay();
      boolean refund = invoice.startsWith("C") || quantity < 0 || amount < 0;
      rows.add(new PlainDerivation.Row(customer, invoice, day, amount, quantity, refund));
    }
    return rows;
  }

  /** Superstore's rows: customer, order, day of Order Date, Sales (decimal comma), Quantity. */
  public static List<PlainDerivation.Row> superstoreRows(String text) {
    DateTimeFormatter format = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    String[] lines = text.replace("\uFEFF", "").split("\r?\n");
    List<PlainDerivation.Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      List<String> f = PlainDerivation.fields(lines[i], ';');
      double amount = Double.parseDouble(f.get(17).replace(',', '.'));
      rows.add(
          new PlainDerivation.Row(
              f.get(5),
              f.get(1),
              LocalDate.parse(f.get(2), format).toEpochDay(),
              amount,
              Double.parseDouble(f.get(18)),
              amount < 0));
    }
    return rows;
  }

  /**
   * Shopify's rows with an e-mail, the plain way. At order grain an order is its first line's
   * {@code Total} (its further lines have none); at line grain each line is quantity × price. An
   * order whose status is a refund status is refunded whole: at order grain its row is a refund
   * row, at line grain its lines are bought and a status-only refund row nets them.
   */
  public static List<PlainDerivation.Row> shopifyRows(String text, boolean lineGrain) {
    List<PlainDerivation.Row> rows = new ArrayList<>();
    for (List<String> f : records(text)) {
      String customer = f.get(1);
      if (customer.isEmpty()) {
        continue; // a guest's order
      }
      String order = f.get(0);
      long day = LocalDate.parse(f.get(15).substring(0, 10)).toEpochDay();
      boolean refund = ShopifyExports.REFUND_STATUSES.contains(f.get(2));
      if (!lineGrain) {
        if (!f.get(11).isEmpty()) {
          double total = Double.parseDouble(f.get(11));
          rows.add(new PlainDerivation.Row(customer, order, day, total, Double.NaN, refund));
        }
        continue;
      }
      double amount = Double.parseDouble(f.get(16)) * Double.parseDouble(f.get(18));
      rows.add(new PlainDerivation.Row(customer, order, day, amount, Double.NaN, false));
      if (refund) {
        rows.add(new PlainDerivation.Row(customer, order, day, 0, Double.NaN, true));
      }
    }
    return rows;
  }

  /** CDNOW's rows: customer sampleid, an order per customer and day, amount sales, items cds. */
  public static List<PlainDerivation.Row> cdnowRows(String text) {
    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyyMMdd");
    List<PlainDerivation.Row> rows = new ArrayList<>();
    for (List<String> f : records(text)) {
      long day = LocalDate.parse(f.get(2), format).toEpochDay();
      double amount = Double.parseDouble(f.get(4));
      rows.add(
          new PlainDerivation.Row(
              f.get(1), Long.toString(day), day, amount, Double.parseDouble(f.get(3)), amount < 0));
    }
    return rows;
  }

  /** The Groceries rows: member, an order per member and day, no money. */
  public static List<PlainDerivation.Row> groceriesRows(String text) {
    DateTimeFormatter format = DateTimeFormatter.ofPattern("dd-MM-yyyy");
    List<PlainDerivation.Row> rows = new ArrayList<>();
    for (List<String> f : records(text)) {
      long day = LocalDate.parse(f.get(1), format).toEpochDay();
      rows.add(new PlainDerivation.Row(f.get(0), Long.toString(day), day, 1, Double.NaN, false));
    }
    return rows;
  }
}
