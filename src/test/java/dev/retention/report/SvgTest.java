package dev.retention.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Chart layout rules that hold whatever the data. */
class SvgTest {

  private static final Pattern TURNED_LABEL =
      Pattern.compile("<text class=\"label\" x=\"([0-9.]+)\"[^>]*rotate\\(-45");

  @Test
  void turnedCategoryLabelsNeverOverlapHoweverManyCategoriesThereAre() {
    for (int n : new int[] {8, 12, 20, 40}) {
      List<String> categories =
          IntStream.range(0, n).mapToObj(i -> (i * 10) + "-" + (i * 10 + 9)).toList();
      double[] values = IntStream.range(0, n).mapToDouble(i -> i + 1).toArray();
      String svg =
          Svg.bars(
              "t",
              "title",
              "x",
              "y",
              categories,
              List.of(new Svg.Bars("a", values, Svg.COLORS[0])),
              false);
      Matcher m = TURNED_LABEL.matcher(svg);
      List<Double> xs = new ArrayList<>();
      while (m.find()) {
        xs.add(Double.parseDouble(m.group(1)));
      }
      assertTrue(!xs.isEmpty(), n + " categories: no turned label");
      for (int i = 1; i < xs.size(); i++) {
        // Parallel labels at -45 degrees lie (dx * sin 45) apart; a line of text is 13 units.
        double apart = (xs.get(i) - xs.get(i - 1)) * Math.sqrt(0.5);
        assertTrue(apart >= 13, n + " categories: turned labels " + apart + " units apart");
      }
    }
  }
}
