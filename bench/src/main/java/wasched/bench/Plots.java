package wasched.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * PNG plots of a run with plain java.awt (headless): one per series of points ({@code <series
 * name>.png}, a scatter plot for many points, a line for few) and {@code throughput.png}, a bar
 * chart of every figure measured per second.
 */
final class Plots {
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 650;
    private static final int LEFT = 95;
    private static final int RIGHT = 35;
    private static final int TOP = 60;
    private static final int BOTTOM = 75;
    /** Above this many points a series is drawn as a scatter plot. */
    private static final int SCATTER_ABOVE = 300;
    private static final Color AXIS = new Color(40, 40, 40);
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color DATA = new Color(31, 119, 180);
    private static final Color MARK = new Color(214, 39, 40);

    private Plots() {}

    static void write(Results results, Path outDir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(outDir);
        for (Map.Entry<String, Results.Series> e : results.allSeries().entrySet()) {
            Results.Series s = e.getValue();
            List<double[]> points;
            synchronized (results) {
                points = new ArrayList<>(s.points());
            }
            save(series(s, points), outDir.resolve(fileName(s.name()) + ".png"));
        }
        save(throughput(results.figures()), outDir.resolve("throughput.png"));
    }

    static String fileName(String seriesName) {
        String slug = seriesName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "series" : slug;
    }

    private static void save(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** Axis labels for the series the bench writes; others get their units only. */
    private static String[] axisNames(String series) {
        return switch (series) {
            case "lateness" -> new String[] {"scheduled send offset", "lateness (actual - scheduled send)"};
            case "dispatch throughput" -> new String[] {"elapsed", "deliveries per second (1 s buckets)"};
            case "api latency" -> new String[] {"elapsed (saturation, then half load)", "ScheduleMessage latency"};
            default -> new String[] {"x", "y"};
        };
    }

    private static BufferedImage series(Results.Series s, List<double[]> raw) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        List<double[]> pts = new ArrayList<>();
        for (double[] p : raw) {
            if (p != null && p.length >= 2 && Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                pts.add(p);
            }
        }
        String[] names = axisNames(s.name());
        String title = s.name() + " (" + pts.size() + " points)";
        if (pts.isEmpty()) {
            frame(g, title, names[0] + " [" + s.xUnit() + "]", names[1] + " [" + s.yUnit() + "]",
                    new Scale(0, 1, LEFT, WIDTH - RIGHT), new Scale(0, 1, HEIGHT - BOTTOM, TOP));
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 18));
            g.setColor(Color.GRAY);
            centered(g, "no data", WIDTH / 2, HEIGHT / 2);
            g.dispose();
            return img;
        }
        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        double[] ys = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            double[] p = pts.get(i);
            xmin = Math.min(xmin, p[0]);
            xmax = Math.max(xmax, p[0]);
            ymin = Math.min(ymin, p[1]);
            ymax = Math.max(ymax, p[1]);
            ys[i] = p[1];
        }
        ymin = Math.min(0, ymin); // latencies and rates read best from zero
        Scale x = new Scale(xmin, xmax, LEFT, WIDTH - RIGHT);
        Scale y = new Scale(ymin, ymax, HEIGHT - BOTTOM, TOP);
        frame(g, title, names[0] + " [" + s.xUnit() + "]", names[1] + " [" + s.yUnit() + "]", x, y);
        g.setClip(LEFT, TOP, WIDTH - LEFT - RIGHT + 1, HEIGHT - TOP - BOTTOM + 1);
        if (pts.size() > SCATTER_ABOVE) {
            g.setColor(new Color(DATA.getRed(), DATA.getGreen(), DATA.getBlue(), 110));
            for (double[] p : pts) {
                g.fill(new Ellipse2D.Double(x.px(p[0]) - 1.75, y.px(p[1]) - 1.75, 3.5, 3.5));
            }
        } else {
            pts.sort(Comparator.comparingDouble(p -> p[0]));
            Path2D line = new Path2D.Double();
            for (int i = 0; i < pts.size(); i++) {
                double px = x.px(pts.get(i)[0]), py = y.px(pts.get(i)[1]);
                if (i == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
            }
            g.setColor(DATA);
            g.setStroke(new BasicStroke(2f));
            g.draw(line);
            for (double[] p : pts) {
                g.fill(new Ellipse2D.Double(x.px(p[0]) - 3, y.px(p[1]) - 3, 6, 6));
            }
        }
        g.setClip(null);
        if (pts.size() <= SCATTER_ABOVE) {
            g.dispose();
            return img;
        }
        // Reference lines for a distribution (scatter): median and 99th percentile of y.
        Percentiles pc = new Percentiles(ys);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        float[] dash = {6f, 4f};
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        for (double[] q : new double[][] {{50, 0}, {99, 1}}) {
            double v = pc.at(q[0]);
            double py = y.px(v);
            g.setColor(q[1] == 0 ? new Color(44, 160, 44) : MARK);
            g.draw(new Line2D.Double(LEFT, py, WIDTH - RIGHT, py));
            String label = String.format(Locale.ROOT, "p%.0f = %s %s", q[0], number(v), s.yUnit());
            g.drawString(label, WIDTH - RIGHT - g.getFontMetrics().stringWidth(label) - 4, (float) py - 4);
        }
        g.dispose();
        return img;
    }

    private static BufferedImage throughput(List<Results.Figure> figures) {
        List<Results.Figure> bars = figures.stream()
                .filter(f -> f.unit() != null && f.unit().endsWith("/s") && Double.isFinite(f.value()))
                .toList();
        int barHeight = 26;
        int gap = 10;
        int plotHeight = Math.max(1, bars.size()) * (barHeight + gap) + gap;
        int height = TOP + plotHeight + BOTTOM;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        FontMetrics fm = pg.getFontMetrics(labelFont);
        int left = 120;
        for (Results.Figure f : bars) {
            left = Math.max(left, fm.stringWidth(label(f)) + 20);
        }
        pg.dispose();
        int width = Math.max(WIDTH, left + 600);
        int right = 130; // room for the value at the end of the longest bar
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double max = bars.stream().mapToDouble(Results.Figure::value).max().orElse(1);
        Scale x = new Scale(0, Math.max(max, 1e-9), left, width - right);
        int bottomPx = TOP + plotHeight;
        title(g, "Throughput: every figure per second in this run", width);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double t : x.ticks()) {
            int px = (int) Math.round(x.px(t));
            g.setColor(GRID);
            g.drawLine(px, TOP, px, bottomPx);
            g.setColor(AXIS);
            g.drawLine(px, bottomPx, px, bottomPx + 5);
            centered(g, number(t), px, bottomPx + 20);
        }
        g.setColor(AXIS);
        g.drawLine(left, TOP, left, bottomPx);
        g.drawLine(left, bottomPx, width - right, bottomPx);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        centered(g, "operations per second (unit per bar: tx/s, RPC/s, ...)", (left + width - right) / 2, bottomPx + 48);
        if (bars.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 18));
            g.setColor(Color.GRAY);
            centered(g, "no throughput figures", width / 2, TOP + plotHeight / 2);
        }
        int yTop = TOP + gap;
        Color[] palette = {DATA, new Color(255, 127, 14), new Color(44, 160, 44), MARK, new Color(148, 103, 189),
            new Color(140, 86, 75)};
        List<String> scenarios = new ArrayList<>();
        for (Results.Figure f : bars) {
            if (!scenarios.contains(f.scenario())) {
                scenarios.add(f.scenario());
            }
            Color c = palette[scenarios.indexOf(f.scenario()) % palette.length];
            double w = Math.max(1, x.px(Math.max(0, f.value())) - left);
            g.setColor(c);
            g.fill(new Rectangle2D.Double(left, yTop, w, barHeight));
            g.setColor(AXIS);
            g.setFont(labelFont);
            String label = label(f);
            int ly = yTop + barHeight / 2 + fm.getAscent() / 2 - 2;
            g.drawString(label, left - 10 - fm.stringWidth(label), ly);
            g.drawString(number(f.value()) + " " + f.unit(), (float) (left + w + 6), ly);
            yTop += barHeight + gap;
        }
        g.dispose();
        return img;
    }

    private static String label(Results.Figure f) {
        return f.scenario() + ": " + f.metric();
    }

    /** Title, grid, axes, ticks and axis labels of an x/y plot. */
    private static void frame(Graphics2D g, String title, String xLabel, String yLabel, Scale x, Scale y) {
        title(g, title, WIDTH);
        int x0 = LEFT, x1 = WIDTH - RIGHT, y0 = HEIGHT - BOTTOM, y1 = TOP;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double t : x.ticks()) {
            int px = (int) Math.round(x.px(t));
            g.setColor(GRID);
            g.drawLine(px, y1, px, y0);
            g.setColor(AXIS);
            g.drawLine(px, y0, px, y0 + 5);
            centered(g, number(t), px, y0 + 20);
        }
        for (double t : y.ticks()) {
            int py = (int) Math.round(y.px(t));
            g.setColor(GRID);
            g.drawLine(x0, py, x1, py);
            g.setColor(AXIS);
            g.drawLine(x0 - 5, py, x0, py);
            String s = number(t);
            g.drawString(s, x0 - 9 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1.2f));
        g.drawLine(x0, y0, x1, y0);
        g.drawLine(x0, y0, x0, y1);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        centered(g, xLabel, (x0 + x1) / 2, y0 + 50);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centered(g, yLabel, -(y0 + y1) / 2, 24);
        g.setTransform(saved);
        g.setStroke(new BasicStroke(1f));
    }

    private static void title(Graphics2D g, String title, int width) {
        g.setColor(AXIS);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        centered(g, title, width / 2, 35);
    }

    private static void centered(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100_000) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return trim(String.format(Locale.ROOT, "%.2f", v));
        }
        if (a >= 0.001) {
            return trim(String.format(Locale.ROOT, "%.4f", v));
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A linear mapping from data to pixels with "nice" (1, 2, 5 x 10^k) ticks covering the data. */
    static final class Scale {
        final double lo;
        final double hi;
        final double step;
        private final double p0;
        private final double p1;

        Scale(double min, double max, double p0, double p1) {
            if (!(max > min)) { // one value (or none): a unit range around it
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double raw = (max - min) / 8;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / mag;
            double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
            this.step = nice * mag;
            this.lo = Math.floor(min / step) * step;
            this.hi = Math.ceil(max / step) * step;
            this.p0 = p0;
            this.p1 = p1;
        }

        double px(double v) {
            return p0 + (v - lo) / (hi - lo) * (p1 - p0);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            long n = Math.round((hi - lo) / step);
            for (long i = 0; i <= n && i <= 100; i++) {
                t.add(lo + i * step);
            }
            return t;
        }
    }
}
