package dev.retention.testing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated exports in the shape of Shopify's orders export (Admin → Orders → Export), studied from
 * a development store's public export (see {@code src/test/resources/real/README.md}); no cell of
 * it is copied. The shape: Shopify's 79 columns in Shopify's order, a row per line item, the
 * order-level cells ({@code Financial Status}, {@code Paid at}, {@code Total}, addresses, {@code
 * Id}, {@code Source}, …) on an order's first line only, its further lines repeating {@code Name},
 * {@code Email}, {@code Created at} and their own {@code Lineitem …} cells; dates {@code 2025-05-11
 * 09:55:16 -0400}; guests' orders without an e-mail; draft orders; {@code paid}, {@code pending},
 * {@code refunded}, {@code partially_refunded} and {@code voided} orders; RFC 4180 quoting (some
 * empty cells written {@code ""}, names holding commas or quotes); UTF-8, LF, a final line end.
 * Deterministic for a seed.
 */
public final class ShopifyExports {

  private ShopifyExports() {}

  /** Shopify's header: the 79 column names, a format, not content. */
  public static final String HEADER =
      "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
          + "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
          + "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
          + "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
          + "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
          + "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,"
          + "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,"
          + "Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
          + "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,"
          + "Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
          + "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,"
          + "Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,"
          + "Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,"
          + "Next Payment Due At,Payment References";

  /** The statuses whose whole order is a refund (the README's settings). */
  public static final List<String> REFUND_STATUSES = List.of("refunded", "voided");

  private static final String[] PRODUCTS = {
    "Gift Card - $10", "Selling Plans Ski Wax", "The Collection Snowboard: Hydrogen",
    "The Minimal Snowboard", "The Multi-location Snowboard", "Boots, size 42",
    "The \"Complete\" Snowboard", "Ski Wax - Winter"
  };
  private static final String[] VENDORS = {"Snowboard Vendor", "Hydrogen Vendor", "Wax Vendor"};

  private record Order(String email, LocalDate day, int second, long number) {}

  /**
   * The export the tests read: 300 customers' orders (and about half as many guests' orders) from
   * 2024-01-01 to 2025-05-17, seed 1001.
   */
  public static String orders() {
    return orders(1001, 300, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 5, 17));
  }

  /**
   * An export of {@code customers} customers' orders from {@code first} to {@code last}, about a
   * third of the orders being guests' (no e-mail), orders numbered {@code #1001} on in time order.
   */
  public static String orders(long seed, int customers, LocalDate first, LocalDate last) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Order> orders = new ArrayList<>();
    long span = last.toEpochDay() - first.toEpochDay();
    for (int c = 1; c <= customers; c++) {
      String email = "customer" + c + "@example.com";
      for (LocalDate day : PurchaseHistories.days(rng, first, last)) {
        orders.add(new Order(email, day, rng.nextInt(12 * 3600), orders.size()));
      }
    }
    int guests = orders.size() / 2;
    for (int g = 0; g < guests; g++) {
      LocalDate day = first.plusDays(rng.nextLong(span + 1));
      orders.add(new Order("", day, rng.nextInt(12 * 3600), orders.size()));
    }
    orders.sort(
        Comparator.comparing(Order::day)
            .thenComparingInt(Order::second)
            .thenComparingLong(Order::number));
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (int i = 0; i < orders.size(); i++) {
      write(out, rng, 1001 + i, orders.get(i));
    }
    return out.toString();
  }

  private static String timestamp(LocalDate day, int second) {
    int s = 8 * 3600 + second; // 08:00 to 19:59 at -0400: the same day in UTC too
    return day
        + " "
        + PurchaseHistories.pad2(s / 3600)
        + ":"
        + PurchaseHistories.pad2(s / 60 % 60)
        + ":"
        + PurchaseHistories.pad2(s % 60)
        + " -0400";
  }

  private static void write(StringBuilder out, SplittableRandom rng, int number, Order order) {
    int lines = 1 + (rng.nextInt(3) == 0 ? 1 + rng.nextInt(3) : 0);
    int[] quantity = new int[lines];
    long[] price = new long[lines];
    int[] product = new int[lines];
    long subtotal = 0;
    for (int l = 0; l < lines; l++) {
      quantity[l] = 1 + (rng.nextInt(4) == 0 ? rng.nextInt(3) : 0);
      price[l] = 995 + 500L * rng.nextInt(200);
      product[l] = rng.nextInt(PRODUCTS.length);
      subtotal += quantity[l] * price[l];
    }
    long shipping = rng.nextInt(3) == 0 ? 0 : 495;
    long discount = rng.nextInt(8) == 0 ? subtotal / 10 : 0;
    long taxes = (subtotal - discount) * 19 / 100;
    long total = subtotal - discount + shipping + taxes;
    int roll = rng.nextInt(100);
    String status =
        roll < 4
            ? "pending"
            : roll < 10
                ? "refunded"
                : roll < 15 ? "partially_refunded" : roll < 17 ? "voided" : "paid";
    long refunded =
        switch (status) {
          case "refunded" -> total;
          case "partially_refunded" -> price[0];
          default -> 0;
        };
    boolean draft = rng.nextInt(3) == 0;
    String created = timestamp(order.day(), order.second());
    String paid = status.equals("pending") || status.equals("voided") ? "" : created;
    String reference = Long.toString(Math.abs(rng.nextLong()), 36);
    for (int l = 0; l < lines; l++) {
      String[] cells = new String[79];
      java.util.Arrays.fill(cells, "");
      cells[0] = "#" + number;
      cells[1] = order.email();
      cells[15] = created;
      cells[16] = Integer.toString(quantity[l]);
      cells[17] = PurchaseHistories.cell(PRODUCTS[product[l]], ',');
      cells[18] = PurchaseHistories.cents(price[l]);
      cells[19] = "\"\"";
      cells[20] = "\"\"";
      cells[21] = "true";
      cells[22] = "true";
      cells[23] = status.equals("paid") ? "fulfilled" : "pending";
      cells[50] = VENDORS[product[l] % VENDORS.length];
      cells[59] = "0.00";
      if (l == 0) {
        cells[2] = status;
        cells[3] = paid;
        cells[4] = status.equals("paid") ? "fulfilled" : "unfulfilled";
        cells[5] = status.equals("paid") ? created : "";
        cells[6] = rng.nextBoolean() ? "yes" : "no";
        cells[7] = "EUR";
        cells[8] = PurchaseHistories.cents(subtotal);
        cells[9] = PurchaseHistories.cents(shipping);
        cells[10] = PurchaseHistories.cents(taxes);
        cells[11] = PurchaseHistories.cents(total);
        cells[12] = discount > 0 ? "WELCOME10" : "\"\"";
        cells[13] = PurchaseHistories.cents(discount);
        cells[14] = shipping > 0 ? "Standard" : "\"\"";
        cells[19] = "";
        cells[20] = "";
        cells[45] = "\"\"";
        cells[46] = status.equals("voided") ? created : "";
        cells[47] = draft ? "manual" : "Shopify Payments";
        cells[48] = reference;
        cells[49] = PurchaseHistories.cents(refunded);
        cells[51] = status.equals("pending") ? PurchaseHistories.cents(total) : "0.00";
        cells[53] = "Shop location";
        cells[55] = Long.toString(6_634_244_000_000L + number * 1_000L + rng.nextInt(1_000));
        cells[56] = "\"\"";
        cells[57] = "Low";
        cells[58] = draft ? "shopify_draft_order" : "web";
        cells[60] = taxes > 0 ? "VAT 19%" : "";
        cells[61] = taxes > 0 ? PurchaseHistories.cents(taxes) : "";
        cells[75] = reference;
        cells[78] = reference;
      }
      out.append(String.join(",", cells)).append('\n');
    }
  }
}
