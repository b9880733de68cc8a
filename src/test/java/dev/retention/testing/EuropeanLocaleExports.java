package dev.retention.testing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generated order-line exports in the shape a European-locale spreadsheet saves them, studied from
 * a public re-export of Tableau's "Sample - Superstore" (see {@code
 * src/test/resources/real/README.md}); no cell of it is copied. The shape: a UTF-8 byte-order mark,
 * CRLF line ends and a final one, {@code ;} between fields, RFC 4180 quoting (product names holding
 * a {@code ;} or a quote), decimal commas without thousands separators (whole amounts without a
 * comma), {@code dd/MM/yyyy} dates, and Superstore's 21 columns: a row per order line, {@code
 * Sales} the line's amount after discount, every line of an order with the same date and customer.
 * Deterministic for a seed.
 */
public final class EuropeanLocaleExports {

  private EuropeanLocaleExports() {}

  /** Superstore's header (the column names are a format, not content). */
  public static final String HEADER =
      "Row ID;Order ID;Order Date;Ship Date;Ship Mode;Customer ID;Customer Name;Segment;"
          + "Country/Region;City;State;Postal Code;Region;Product ID;Category;Sub-Category;"
          + "Product Name;Sales;Quantity;Discount;Profit";

  private static final String[] SHIP_MODES = {
    "Standard Class", "Second Class", "First Class", "Same Day"
  };
  private static final String[] SEGMENTS = {"Consumer", "Corporate", "Home Office"};
  private static final String[] CATEGORIES = {"Furniture", "Office Supplies", "Technology"};
  private static final String[][] SUB_CATEGORIES = {
    {"FUR-CH", "Chairs"}, {"OFF-PA", "Paper"}, {"TEC-PH", "Phones"}
  };
  private static final String[] PRODUCTS = {
    "Desk Chair; Black", "Binder \"Classic\", 1\"", "Copy Paper", "Office Phone", "Stapler"
  };
  private static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "sa", "tor", "vel", "di"};

  private record Order(int customer, LocalDate day, long number) {}

  /**
   * The export the tests train on: 800 customers' orders from 2018-01-03 to 2021-12-30 (the span of
   * the studied file), seed 2018.
   */
  public static String superstore() {
    return superstore(2018, 800, LocalDate.of(2018, 1, 3), LocalDate.of(2021, 12, 30));
  }

  /** The generated export's text: BOM, header and lines, CRLF. */
  public static String superstore(long seed, int customers, LocalDate first, LocalDate last) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Order> orders = new ArrayList<>();
    String[] ids = new String[customers + 1];
    String[] names = new String[customers + 1];
    for (int c = 1; c <= customers; c++) {
      String given = name(rng);
      String family = name(rng);
      names[c] = given + " " + family;
      ids[c] =
          Character.toUpperCase(given.charAt(0))
              + ""
              + Character.toUpperCase(family.charAt(0))
              + "-"
              + (10_000 + 10 * c);
      for (LocalDate day : PurchaseHistories.days(rng, first, last)) {
        orders.add(new Order(c, day, orders.size()));
      }
    }
    orders.sort(Comparator.comparing(Order::day).thenComparingLong(Order::number));
    StringBuilder out = new StringBuilder("\uFEFF").append(HEADER).append("\r\n");
    int row = 0;
    for (Order order : orders) {
      String orderId =
          (rng.nextInt(5) == 0 ? "US-" : "CA-")
              + order.day().getYear()
              + "-"
              + (100_000 + order.number() * 7 % 900_000);
      LocalDate ship = order.day().plusDays(rng.nextInt(8));
      String segment = SEGMENTS[order.customer() % SEGMENTS.length];
      int lines = 1 + (rng.nextInt(2) == 0 ? rng.nextInt(4) : 0);
      for (int l = 0; l < lines; l++) {
        int category = rng.nextInt(CATEGORIES.length);
        int product = rng.nextInt(PRODUCTS.length);
        int quantity = 1 + rng.nextInt(7);
        boolean discounted = rng.nextInt(4) == 0;
        // a whole amount now and then (written without a comma), otherwise up to three decimals
        long thousandths =
            rng.nextInt(10) == 0 ? 1000L * (1 + rng.nextInt(900)) : 444 + rng.nextInt(900_000);
        long profit = thousandths / 5 - (discounted ? thousandths / 3 : 0);
        String[] cells = {
          Integer.toString(++row),
          orderId,
          date(order.day()),
          date(ship),
          SHIP_MODES[rng.nextInt(SHIP_MODES.length)],
          ids[order.customer()],
          names[order.customer()],
          segment,
          "United States",
          "Springfield",
          "Illinois",
          Integer.toString(62_701 + order.customer() % 50),
          "Central",
          SUB_CATEGORIES[category][0] + "-" + (10_000_000 + product * 1_111),
          CATEGORIES[category],
          SUB_CATEGORIES[category][1],
          quoted(PRODUCTS[product]),
          decimalComma(thousandths),
          Integer.toString(quantity),
          discounted ? "0,2" : "0",
          decimalComma(profit)
        };
        out.append(String.join(";", cells)).append("\r\n");
      }
    }
    return out.toString();
  }

  /** As the spreadsheet saved them: a name holding a comma, a {@code ;} or a quote is quoted. */
  private static String quoted(String name) {
    return name.indexOf(',') < 0
        ? PurchaseHistories.cell(name, ';')
        : '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String name(SplittableRandom rng) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 2 + rng.nextInt(2); i++) {
      s.append(SYLLABLES[rng.nextInt(SYLLABLES.length)]);
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String date(LocalDate day) {
    return PurchaseHistories.pad2(day.getDayOfMonth())
        + "/"
        + PurchaseHistories.pad2(day.getMonthValue())
        + "/"
        + day.getYear();
  }

  /** Thousandths as a spreadsheet in a European locale writes them: {@code 261,96}, {@code 18}. */
  private static String decimalComma(long thousandths) {
    String sign = thousandths < 0 ? "-" : "";
    long abs = Math.abs(thousandths);
    String fraction =
        String.format(java.util.Locale.ROOT, "%03d", abs % 1000).replaceAll("0+$", "");
    return sign + abs / 1000 + (fraction.isEmpty() ? "" : "," + fraction);
  }
}
