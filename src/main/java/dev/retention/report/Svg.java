package dev.retention.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the report: no script, no external font, readable at any width (the
 * viewBox scales) and in print. Every chart is a {@code <figure data-chart="...">} whose drawn
 * marks (polylines, rects, circles) carry the class {@code mark}, so a browser test can count them.
 */
final class Svg {

  static final String[] COLORS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };

  private static final int WIDTH = 640;
  private static final int HEIGHT = 360;
  private static final int LEFT = 64;
  private static final int RIGHT = 24;
  private static final int TOP = 40;
  private static final int BOTTOM = 56;

  private Svg() {}

  /** One line of a line chart. */
  record Series(String name, double[] x, double[] y, String color, boolean dashed, boolean dots) {}

  /** One group member of a bar chart. */
  record Bars(String name, double[] values, String color) {}

  /** A line chart over {@code [xMin, xMax] x [yMin, yMax]}; {@code markX} draws a vertical rule. */
  static String lines(
      String id,
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      double xMin,
      double xMax,
      double yMin,
      double yMax,
      Double markX,
      String markLabel) {
    if (yMax <= yMin) {
      yMax = yMin + 1;
    }
    if (xMax <= xMin) {
      xMax = xMin + 1;
    }
    StringBuilder out = open(id, title);
    axes(out, xLabel, yLabel, xMin, xMax, yMin, yMax, true);
    if (markX != null) {
      double x = sx(markX, xMin, xMax);
      out.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\""
                  + " stroke-dasharray=\"4 3\"/>",
              x,
              TOP,
              x,
              HEIGHT - BOTTOM));
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
              x,
              TOP - 6,
              Html.escape(markLabel)));
    }
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.x().length; i++) {
        if (!Double.isFinite(s.y()[i])) {
          continue;
        }
        points.append(
            String.format(
                Locale.ROOT, "%.1f,%.1f ", sx(s.x()[i], xMin, xMax), sy(s.y()[i], yMin, yMax)));
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
          if (!Double.isFinite(s.y()[i])) {
            continue;
          }
          out.append(
              String.format(
                  Locale.ROOT,
                  "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\">"
                      + "<title>%s: %s, %s</title></circle>",
                  sx(s.x()[i], xMin, xMax),
                  sy(s.y()[i], yMin, yMax),
                  s.color(),
                  Html.escape(s.name()),
                  number(s.x()[i]),
                  number(s.y()[i])));
        }
      }
    }
    legend(
        out,
        series.stream().map(Series::name).toList(),
        series.stream().map(Series::color).toList());
    return close(out);
  }

  /** Grouped vertical bars, one group per category. */
  static String bars(
      String id,
      String title,
      String yLabel,
      List<String> categories,
      List<Bars> groups,
      double yMax,
      boolean percent) {
    if (!(yMax > 0)) {
      yMax = 1;
    }
    StringBuilder out = open(id, title);
    axes(out, null, yLabel, 0, 1, 0, yMax, false);
    int n = categories.size();
    double band = (double) (WIDTH - LEFT - RIGHT) / Math.max(1, n);
    double barWidth = band * 0.8 / Math.max(1, groups.size());
    for (int c = 0; c < n; c++) {
      double x0 = LEFT + c * band + band * 0.1;
      for (int g = 0; g < groups.size(); g++) {
        double value = groups.get(g).values()[c];
        double y = sy(Math.max(0, value), 0, yMax);
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
                percent ? percent(value) : number(value)));
      }
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
              LEFT + c * band + band / 2,
              HEIGHT - BOTTOM + 16,
              Html.escape(shorten(categories.get(c), (int) Math.max(4, band / 7)))));
    }
    legend(
        out, groups.stream().map(Bars::name).toList(), groups.stream().map(Bars::color).toList());
    return close(out);
  }

  /** Horizontal bars around zero (coefficients): positive to the right, negative to the left. */
  static String diverging(String id, String title, List<String> labels, double[] values) {
    int n = labels.size();
    int rowHeight = 22;
    int height = TOP + n * rowHeight + 30;
    double max = 1e-12;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    StringBuilder out = open(id, title, height);
    int labelWidth = 200;
    double mid = labelWidth + (WIDTH - labelWidth - RIGHT) / 2.0;
    double half = (WIDTH - labelWidth - RIGHT) / 2.0 - 40;
    out.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/>",
            mid,
            TOP - 10,
            mid,
            height - 20));
    for (int i = 0; i < n; i++) {
      double v = values[i];
      double w = Math.max(1, Math.abs(v) / max * half);
      double y = TOP + i * rowHeight;
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s</text>",
              labelWidth - 8,
              y + 14,
              Html.escape(shorten(labels.get(i), 30))));
      out.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\""
                  + " fill=\"%s\"><title>%s: %s</title></rect>",
              v >= 0 ? mid : mid - w,
              y + 3,
              w,
              rowHeight - 6,
              v >= 0 ? COLORS[2] : COLORS[3],
              Html.escape(labels.get(i)),
              number(v)));
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"%s\">%s</text>",
              v >= 0 ? mid + w + 4 : mid - w - 4,
              y + 14,
              v >= 0 ? "start" : "end",
              number(v)));
    }
    return close(out);
  }

  private static StringBuilder open(String id, String title) {
    return open(id, title, HEIGHT);
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

  private static String close(StringBuilder out) {
    int start = out.indexOf("<title>") + 7;
    String title = out.substring(start, out.indexOf("</title>", start));
    return out.append("</svg><figcaption>")
        .append(title)
        .append("</figcaption></figure>\n")
        .toString();
  }

  private static void axes(
      StringBuilder out,
      String xLabel,
      String yLabel,
      double xMin,
      double xMax,
      double yMin,
      double yMax,
      boolean xTicks) {
    int x0 = LEFT;
    int y0 = HEIGHT - BOTTOM;
    out.append(
        String.format(
            Locale.ROOT,
            "<g stroke=\"#888\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>",
            x0,
            y0,
            WIDTH - RIGHT,
            y0,
            x0,
            TOP,
            x0,
            y0));
    for (int t = 0; t <= 4; t++) {
      double v = yMin + (yMax - yMin) * t / 4;
      double y = sy(v, yMin, yMax);
      out.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
              x0 + 1,
              y,
              WIDTH - RIGHT,
              y,
              x0 - 6,
              y + 4,
              number(v)));
      if (xTicks) {
        double xv = xMin + (xMax - xMin) * t / 4;
        out.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                sx(xv, xMin, xMax),
                y0 + 16,
                number(xv)));
      }
    }
    if (xLabel != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
              (LEFT + WIDTH - RIGHT) / 2,
              HEIGHT - 18,
              Html.escape(xLabel)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "<text transform=\"translate(16 %d) rotate(-90)\" font-size=\"12\""
                + " text-anchor=\"middle\">%s</text>",
            (TOP + HEIGHT - BOTTOM) / 2,
            Html.escape(yLabel)));
  }

  private static void legend(StringBuilder out, List<String> names, List<String> colors) {
    double x = LEFT + 8;
    for (int i = 0; i < names.size(); i++) {
      out.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"12\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%.1f\" y=\"22\" font-size=\"12\">%s</text>",
              x,
              colors.get(i),
              x + 16,
              Html.escape(names.get(i))));
      x += 28 + 7 * names.get(i).length();
    }
  }

  private static double sx(double x, double min, double max) {
    return LEFT + (x - min) / (max - min) * (WIDTH - LEFT - RIGHT);
  }

  private static double sy(double y, double min, double max) {
    return HEIGHT - BOTTOM - (y - min) / (max - min) * (HEIGHT - TOP - BOTTOM);
  }

  static String number(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e6 || a < 1e-3)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
  }

  static String percent(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, Math.max(1, max - 1)) + "…";
  }
}
