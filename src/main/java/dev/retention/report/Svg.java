package dev.retention.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the report: no script, no external font, readable at any width (the
 * viewBox scales) and in print. Every chart is a {@code <figure data-chart="...">} whose drawn
 * marks carry the class {@code mark}, so a browser test can count them; axis ticks carry the class
 * {@code tick} and are round numbers (1, 2 or 5 times a power of ten); labels are never cut: long
 * ones wrap onto further lines.
 *
 * <p>The drawing is 400 units wide with 13-unit text, so that text stays at least 11 px on a
 * phone's 390 px screen and about 15 px in the desktop's two-column grid.
 */
final class Svg {

  static final String[] COLORS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };

  static final int WIDTH = 400;
  private static final int HEIGHT = 280;
  private static final int LEFT = 58;
  private static final int RIGHT = 24;
  private static final int TOP = 40;
  private static final int BOTTOM = 52;
  private static final int FONT = 13;

  /** Average glyph width of the system sans-serif at {@link #FONT}, for wrapping. */
  private static final double CHAR = 0.56 * FONT;

  private Svg() {}

  /** One line of a line chart. */
  record Series(String name, double[] x, double[] y, String color, boolean dashed, boolean dots) {}

  /** One group member of a bar chart. */
  record Bars(String name, double[] values, String color) {}

  /** Round ticks covering {@code [min, max]}: steps of 1, 2 or 5 times a power of ten. */
  record Ticks(double min, double max, double step) {

    static Ticks of(double min, double max, int target) {
      if (!(max > min)) {
        max = min + 1;
      }
      double raw = (max - min) / Math.max(1, target);
      double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
      double step = magnitude;
      for (double m : new double[] {1, 2, 5, 10}) {
        if (m * magnitude >= raw) {
          step = m * magnitude;
          break;
        }
      }
      double lo = Math.floor(min / step + 1e-9) * step;
      double hi = Math.ceil(max / step - 1e-9) * step;
      return new Ticks(lo, hi, step);
    }

    List<Double> values() {
      List<Double> out = new ArrayList<>();
      int count = (int) Math.round((max - min) / step);
      for (int i = 0; i <= count; i++) {
        out.add(clean(min + i * step));
      }
      return out;
    }

    /** Removes the binary noise of {@code min + i * step} (0.30000000000000004 → 0.3). */
    private double clean(double v) {
      double digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
      double scale = Math.pow(10, digits);
      return Math.round(v * scale) / scale;
    }
  }

  /**
   * A chart axis: its label and range.
   *
   * @param percent whether its ticks are shares printed as percent
   */
  record Axis(String label, double min, double max, boolean percent) {

    /** A share from 0 to 1, ticks in percent. */
    static Axis share(String label) {
      return new Axis(label, 0, 1, true);
    }
  }

  /** A vertical rule at {@code x} with its label (the chosen K, say). */
  record Mark(double x, String label) {}

  /**
   * A line chart.
   *
   * @param mark a vertical rule, or null
   */
  record LineChart(String id, String title, Axis x, Axis y, List<Series> series, Mark mark) {}

  /** A line chart's SVG. */
  static String lines(LineChart chart) {
    Axis xAxis = chart.x();
    Axis yAxis = chart.y();
    List<Series> series = chart.series();
    String title = chart.title();
    Ticks xt = Ticks.of(xAxis.min(), xAxis.max(), 5);
    Ticks yt = Ticks.of(yAxis.min(), yAxis.max(), 5);
    StringBuilder out = open(chart.id(), title, HEIGHT);
    axes(out, xAxis.label(), yAxis.label(), xt, yt, xAxis.percent(), yAxis.percent(), HEIGHT - 10);
    if (chart.mark() != null) {
      double x = sx(chart.mark().x(), xt);
      out.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\""
                  + " stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" font-size=\"%d\""
                  + " text-anchor=\"middle\">%s</text>",
              x,
              TOP,
              x,
              HEIGHT - BOTTOM,
              Math.min(WIDTH - RIGHT - 40, Math.max(LEFT + 40, x)),
              TOP - 4,
              FONT,
              Html.escape(chart.mark().label())));
    }
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.x().length; i++) {
        if (Double.isFinite(s.y()[i])) {
          points.append(
              String.format(Locale.ROOT, "%.1f,%.1f ", sx(s.x()[i], xt), sy(s.y()[i], yt)));
        }
      }
      out.append("<polyline class=\"mark\" fill=\"none\" stroke-width=\"2\" stroke=\"")
          .append(s.color())
          .append('"')
          .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "")
          .append(" points=\"")
          .append(points.toString().trim())
          .append("\"><title>")
          .append(Html.escape(s.name()))
          .append("</title></polyline>");
      if (s.dots()) {
        for (int i = 0; i < s.x().length; i++) {
          if (Double.isFinite(s.y()[i])) {
            out.append(
                String.format(
                    Locale.ROOT,
                    "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                        + "<title>%s: %s, %s</title></circle>",
                    sx(s.x()[i], xt),
                    sy(s.y()[i], yt),
                    s.color(),
                    Html.escape(s.name()),
                    Format.number(s.x()[i]),
                    Format.number(s.y()[i])));
          }
        }
      }
    }
    legend(
        out,
        series.stream().map(Series::name).toList(),
        series.stream().map(Series::color).toList());
    return close(out, title);
  }

  /**
   * Horizontal bars, one row per category with its full label above the bars (wrapped, never cut);
   * each group member a bar of its own colour.
   */
  static String hbars(
      String id, String title, List<String> categories, List<Bars> groups, boolean percent) {
    return hbars(
        id,
        title,
        categories,
        groups,
        percent,
        null,
        groups.stream().map(Bars::name).toList(),
        groups.stream().map(Bars::color).toList());
  }

  /**
   * One bar per row, longest first as given, each row in its own colour ({@code colors}), with a
   * legend of what the colours mean: a ranking such as feature effects.
   */
  static String ranked(
      String id,
      String title,
      List<String> labels,
      double[] values,
      List<String> colors,
      List<String> legendNames,
      List<String> legendColors) {
    return hbars(
        id,
        title,
        labels,
        List.of(new Bars("", values, COLORS[0])),
        false,
        colors,
        legendNames,
        legendColors);
  }

  private static String hbars(
      String id,
      String title,
      List<String> categories,
      List<Bars> groups,
      boolean percent,
      List<String> rowColors,
      List<String> legendNames,
      List<String> legendColors) {
    double max = 0;
    for (Bars g : groups) {
      for (double v : g.values()) {
        max = Math.max(max, v);
      }
    }
    Ticks xt = Ticks.of(0, max, 4);
    int barHeight = 14;
    int left = 12;
    int right = WIDTH - 16;
    List<List<String>> labels = new ArrayList<>();
    int rowsHeight = 0;
    for (String category : categories) {
      List<String> wrapped = wrap(category, right - left);
      labels.add(wrapped);
      rowsHeight += wrapped.size() * (FONT + 3) + groups.size() * (barHeight + 2) + 10;
    }
    int height = TOP + rowsHeight + 36;
    StringBuilder out = open(id, title, height);
    double y = TOP;
    for (int c = 0; c < categories.size(); c++) {
      for (String line : labels.get(c)) {
        y += FONT + 3;
        out.append(
            String.format(
                Locale.ROOT,
                "<text class=\"label\" x=\"%d\" y=\"%.1f\" font-size=\"%d\">%s</text>",
                left,
                y - 3,
                FONT,
                Html.escape(line)));
      }
      for (Bars g : groups) {
        double v = g.values()[c];
        double w = Math.max(1, (v - xt.min()) / (xt.max() - xt.min()) * (right - left - 70));
        out.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"mark\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\""
                    + " fill=\"%s\"><title>%s, %s: %s</title></rect>"
                    + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\">%s</text>",
                left,
                y + 1,
                w,
                barHeight,
                rowColors == null ? g.color() : rowColors.get(c),
                Html.escape(categories.get(c)),
                Html.escape(g.name().isEmpty() ? title : g.name()),
                percent ? Format.percent(v) : Format.number(v),
                left + w + 4,
                y + barHeight - 1,
                FONT,
                percent ? Format.percent(v) : Format.number(v)));
        y += barHeight + 2;
      }
      y += 10;
    }
    legend(out, legendNames, legendColors);
    return close(out, title);
  }

  /** Vertical bars over short category labels (deciles, buckets), with round ticks. */
  static String bars(
      String id,
      String title,
      String xLabel,
      String yLabel,
      List<String> categories,
      List<Bars> groups,
      boolean percent) {
    double max = 0;
    for (Bars g : groups) {
      for (double v : g.values()) {
        max = Math.max(max, v);
      }
    }
    Ticks yt = Ticks.of(0, max, 5);
    int n = categories.size();
    double band = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, n);
    // Category labels wider than their slot turn 45 degrees; the drawing grows to hold them.
    int longest = 0;
    for (String category : categories) {
      longest = Math.max(longest, category.length());
    }
    boolean turned = longest * CHAR > band * 0.9;
    // Turned labels are parallel lines band * sin 45° apart: closer than a line of text they
    // overlap, so then only every step-th category is labelled (each bar keeps its tooltip).
    int step = turned ? (int) Math.ceil(FONT * 1.15 / (band * Math.sqrt(0.5))) : 1;
    int drop = turned ? (int) Math.ceil(longest * CHAR * 0.71 + FONT) : FONT + 5;
    int height = HEIGHT - BOTTOM + 8 + drop + 28;
    StringBuilder out = open(id, title, height);
    axes(out, xLabel, yLabel, null, yt, false, percent, height - 10);
    double barWidth = band * 0.8 / Math.max(1, groups.size());
    for (int c = 0; c < n; c++) {
      double x0 = LEFT + c * band + band * 0.1;
      for (int g = 0; g < groups.size(); g++) {
        double value = groups.get(g).values()[c];
        double y = sy(Math.max(0, value), yt);
        out.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                    + " fill=\"%s\"><title>%s, %s: %s</title></rect>",
                x0 + g * barWidth,
                y,
                Math.max(1, barWidth - 2),
                Math.max(0.5, HEIGHT - BOTTOM - y),
                groups.get(g).color(),
                Html.escape(categories.get(c)),
                Html.escape(groups.get(g).name()),
                percent ? Format.percent(value) : Format.number(value)));
      }
      double cx = LEFT + c * band + band / 2;
      if (c % step != 0) {
        continue;
      }
      if (turned) {
        out.append(
            String.format(
                Locale.ROOT,
                "<text class=\"label\" x=\"%.1f\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\""
                    + " transform=\"rotate(-45 %.1f %d)\">%s</text>",
                cx + 4,
                HEIGHT - BOTTOM + 12,
                FONT,
                cx + 4,
                HEIGHT - BOTTOM + 12,
                Html.escape(categories.get(c))));
      } else {
        out.append(
            String.format(
                Locale.ROOT,
                "<text class=\"label\" x=\"%.1f\" y=\"%d\" font-size=\"%d\""
                    + " text-anchor=\"middle\">%s</text>",
                cx,
                HEIGHT - BOTTOM + 18,
                FONT,
                Html.escape(categories.get(c))));
      }
    }
    legend(
        out, groups.stream().map(Bars::name).toList(), groups.stream().map(Bars::color).toList());
    return close(out, title);
  }

  /**
   * Horizontal bars around zero, one row per label (its full text above the bar): positive to the
   * right in green, negative to the left in red.
   */
  static String diverging(String id, String title, List<String> labels, double[] values) {
    double max = 1e-12;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    int barHeight = 14;
    double mid = WIDTH / 2.0;
    double half = WIDTH / 2.0 - 60;
    List<List<String>> wrapped = new ArrayList<>();
    int rowsHeight = 0;
    for (String label : labels) {
      List<String> lines = wrap(label, WIDTH - 24);
      wrapped.add(lines);
      rowsHeight += lines.size() * (FONT + 3) + barHeight + 10;
    }
    int height = TOP + rowsHeight + 20;
    StringBuilder out = open(id, title, height);
    out.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>",
            mid,
            TOP,
            mid,
            height - 16));
    double y = TOP;
    for (int i = 0; i < labels.size(); i++) {
      for (String line : wrapped.get(i)) {
        y += FONT + 3;
        out.append(
            String.format(
                Locale.ROOT,
                "<text class=\"label\" x=\"12\" y=\"%.1f\" font-size=\"%d\">%s</text>",
                y - 3,
                FONT,
                Html.escape(line)));
      }
      double v = values[i];
      double w = Math.max(1, Math.abs(v) / max * half);
      out.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\""
                  + " fill=\"%s\"><title>%s: %s</title></rect>"
                  + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>",
              v >= 0 ? mid : mid - w,
              y + 1,
              w,
              barHeight,
              v >= 0 ? COLORS[2] : COLORS[3],
              Html.escape(labels.get(i)),
              Format.number(v),
              v >= 0 ? mid + w + 4 : mid - w - 4,
              y + barHeight - 1,
              FONT,
              v >= 0 ? "start" : "end",
              Format.number(v)));
      y += barHeight + 10;
    }
    return close(out, title);
  }

  /**
   * A heat map of values in [0, 1] (shares, probabilities): rows top to bottom, columns left to
   * right, each cell shaded and labelled in per cent.
   */
  static String heatmap(
      String id,
      String title,
      String rowLabel,
      String columnLabel,
      List<String> rows,
      List<String> columns,
      double[][] values) {
    int cell = Math.max(18, (WIDTH - LEFT - RIGHT) / Math.max(1, columns.size()));
    int cellHeight = 20;
    int height = TOP + rows.size() * cellHeight + BOTTOM;
    StringBuilder out = open(id, title, height);
    for (int r = 0; r < rows.size(); r++) {
      int y = TOP + r * cellHeight;
      out.append(
          String.format(
              Locale.ROOT,
              "<text class=\"label\" x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"end\">%s"
                  + "</text>",
              LEFT - 6,
              y + 15,
              FONT,
              Html.escape(rows.get(r))));
      for (int c = 0; c < columns.size(); c++) {
        double v = Math.max(0, Math.min(1, values[r][c]));
        int shade = (int) Math.round(245 - v * 190);
        out.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
                    + " fill=\"rgb(%d,%d,255)\"><title>%s %s, %s %s: %s</title></rect>",
                LEFT + c * cell,
                y,
                cell - 1,
                cellHeight - 1,
                shade,
                shade,
                Html.escape(rowLabel),
                Html.escape(rows.get(r)),
                Html.escape(columnLabel),
                Html.escape(columns.get(c)),
                Format.percent(v)));
        if (cell >= 36) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\""
                      + " fill=\"%s\">%.0f%%</text>",
                  LEFT + c * cell + cell / 2,
                  y + 15,
                  FONT,
                  v > 0.55 ? "#fff" : "#222",
                  100 * v));
        }
      }
    }
    int y0 = TOP + rows.size() * cellHeight;
    for (int c = 0; c < columns.size(); c++) {
      out.append(
          String.format(
              Locale.ROOT,
              "<text class=\"label\" x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\">%s"
                  + "</text>",
              LEFT + c * cell + cell / 2,
              y0 + 16,
              FONT,
              Html.escape(columns.get(c))));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\">%s</text>"
                + "<text transform=\"translate(14 %d) rotate(-90)\" font-size=\"%d\""
                + " text-anchor=\"middle\">%s</text>",
            (LEFT + WIDTH - RIGHT) / 2,
            y0 + 38,
            FONT,
            Html.escape(columnLabel),
            TOP + rows.size() * cellHeight / 2,
            FONT,
            Html.escape(rowLabel)));
    return close(out, title);
  }

  private static StringBuilder open(String id, String title, int height) {
    StringBuilder out = new StringBuilder();
    out.append("<figure class=\"chart\" data-chart=\"")
        .append(id)
        .append("\"><svg viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.escape(title))
        .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>")
        .append(Html.escape(title))
        .append("</title>");
    return out;
  }

  private static String close(StringBuilder out, String title) {
    return out.append("</svg><figcaption>")
        .append(Html.escape(title))
        .append("</figcaption></figure>\n")
        .toString();
  }

  /** Axes with round ticks; a null {@code xt} draws no x ticks (category axes). */
  private static void axes(
      StringBuilder out,
      String xLabel,
      String yLabel,
      Ticks xt,
      Ticks yt,
      boolean xPercent,
      boolean yPercent,
      int xLabelY) {
    int y0 = HEIGHT - BOTTOM;
    out.append(
        String.format(
            Locale.ROOT,
            "<g stroke=\"#888\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
            LEFT,
            y0,
            WIDTH - RIGHT,
            y0,
            LEFT,
            TOP,
            LEFT,
            y0));
    for (double v : yt.values()) {
      double y = sy(v, yt);
      out.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text class=\"tick\" data-axis=\"y\" data-value=\"%s\" x=\"%d\" y=\"%.1f\""
                  + " font-size=\"%d\""
                  + " text-anchor=\"end\">%s</text>",
              LEFT + 1,
              y,
              WIDTH - RIGHT,
              y,
              Double.toString(v),
              LEFT - 5,
              y + 4,
              FONT,
              yPercent ? tickPercent(v) : tick(v)));
    }
    if (xt != null) {
      for (double v : xt.values()) {
        out.append(
            String.format(
                Locale.ROOT,
                "<text class=\"tick\" data-axis=\"x\" data-value=\"%s\" x=\"%.1f\" y=\"%d\""
                    + " font-size=\"%d\""
                    + " text-anchor=\"middle\">%s</text>",
                Double.toString(v),
                sx(v, xt),
                y0 + 20,
                FONT,
                xPercent ? tickPercent(v) : tick(v)));
      }
    }
    if (xLabel != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"middle\">%s</text>",
              (LEFT + WIDTH - RIGHT) / 2,
              xLabelY,
              FONT,
              Html.escape(xLabel)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(14 %d) rotate(-90)\" font-size=\"%d\""
                + " text-anchor=\"middle\">%s</text>",
            (TOP + HEIGHT - BOTTOM) / 2,
            FONT,
            Html.escape(yLabel)));
  }

  /** Legend entries, wrapped onto further rows when they do not fit one. */
  private static void legend(StringBuilder out, List<String> names, List<String> colors) {
    double x = 12;
    double y = 12;
    for (int i = 0; i < names.size(); i++) {
      double width = 22 + CHAR * names.get(i).length();
      if (x + width > WIDTH - 8 && x > 12) {
        x = 12;
        y += FONT + 4;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" font-size=\"%d\">%s</text>",
              x,
              y,
              colors.get(i),
              x + 16,
              y + 11,
              FONT,
              Html.escape(names.get(i))));
      x += width + 8;
    }
  }

  /** Words of {@code text} in lines at most {@code width} units wide (a long word alone). */
  static List<String> wrap(String text, double width) {
    int max = Math.max(8, (int) (width / CHAR));
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > max) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0 || lines.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  private static double sx(double x, Ticks t) {
    return LEFT + (x - t.min()) / (t.max() - t.min()) * (WIDTH - LEFT - RIGHT);
  }

  private static double sy(double y, Ticks t) {
    return HEIGHT - BOTTOM - (y - t.min()) / (t.max() - t.min()) * (HEIGHT - TOP - BOTTOM);
  }

  /** A tick's text: thousands and millions as k and M, so that the label fits the margin. */
  private static String tick(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return Format.number(v / 1e6) + "M";
    }
    if (a >= 1e4) {
      return Format.number(v / 1e3) + "k";
    }
    return Format.number(v);
  }

  private static String tickPercent(double v) {
    double p = 100 * v;
    return (Math.abs(p - Math.rint(p)) < 1e-9
            ? String.format(Locale.ROOT, "%.0f", p)
            : String.format(Locale.ROOT, "%.1f", p))
        + "%";
  }
}
