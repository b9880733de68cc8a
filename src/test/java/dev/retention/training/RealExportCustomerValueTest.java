package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.core.BgNbd;
import dev.retention.core.BgNbdFit;
import dev.retention.core.ClvFitOptions;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 on the real line-item export it was found on (UCI Online Retail, sampled by customer:
 * {@code src/test/resources/real/online-retail/SOURCE.md}), cutoff nine months in: the purchase
 * histories are derived here, independently of the product's readers (invoices not starting with
 * {@code C}, quantity × unit price above 0, distinct days up to the cutoff), and the BG/NBD fit
 * that failed the training is handled.
 */
class RealExportCustomerValueTest {

  private static final LocalDate CUTOFF = LocalDate.of(2011, 9, 1);

  /** RFC 4180 fields of one line (no field of this file spans lines). */
  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(ch);
      }
    }
    out.add(cell.toString());
    return out;
  }

  /** Each customer's distinct purchase days up to the cutoff. */
  static Map<String, TreeSet<LocalDate>> purchaseDays() throws Exception {
    Map<String, TreeSet<LocalDate>> days = new TreeMap<>();
    try (InputStream raw =
            RealExportCustomerValueTest.class.getResourceAsStream(
                "/real/online-retail/online_retail_by_customer.csv.gz");
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        List<String> f = fields(line);
        String customer = f.get(6);
        if (customer.isEmpty() || f.get(0).startsWith("C")) {
          continue;
        }
        LocalDate day = LocalDate.parse(f.get(4).substring(0, 10));
        double amount = Double.parseDouble(f.get(3)) * Double.parseDouble(f.get(5));
        if (!day.isAfter(CUTOFF) && amount > 0) {
          days.computeIfAbsent(customer, c -> new TreeSet<>()).add(day);
        }
      }
    }
    return days;
  }

  @Test
  void theRealExportsPurchaseModelIsHandledNeverANaN() throws Exception {
    Map<String, TreeSet<LocalDate>> days = purchaseDays();
    int n = days.size();
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    int i = 0;
    for (TreeSet<LocalDate> d : days.values()) {
      x[i] = d.size() - 1;
      age[i] = (CUTOFF.toEpochDay() - d.first().toEpochDay()) / 7.0;
      tx[i] = (d.last().toEpochDay() - d.first().toEpochDay()) / 7.0;
      i++;
    }
    assertEquals(1227, n, "customers with a purchase by the cutoff");
    // The defect: without a penalty the fit runs towards b → ∞ and does not converge.
    BgNbdFit plain = BgNbd.fit(x, tx, age, ClvFitOptions.defaults());
    assertNotNull(ValueFitChoice.problem(plain), plain.toString());
    List<String> notes = new ArrayList<>();
    BgNbdFit chosen = ValueFitChoice.purchases(x, tx, age, ClvFitOptions.defaults(), 42, notes);
    // Every penalizer drives a to 0 (P(alive) = 1 for everyone): left out, with the reason.
    assertNull(chosen, String.valueOf(chosen));
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).contains("did not converge"), notes.get(0));
    assertTrue(notes.get(0).contains("with none of the penalizers"), notes.get(0));
  }
}
