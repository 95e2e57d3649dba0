package wasched.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every figure of a run, with its unit, in the order measured; printed as a table and written as JSON. */
final class Results {
    record Figure(String scenario, String metric, double value, String unit) {}

    /** A named series of (x, y) points for the plots. */
    record Series(String name, String xUnit, String yUnit, List<double[]> points) {}

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final Map<String, Object> machine = new LinkedHashMap<>();

    synchronized void add(String scenario, String metric, double value, String unit) {
        figures.add(new Figure(scenario, metric, value, unit));
        System.out.printf(Locale.ROOT, "  %-28s %-44s %14.2f %s%n", scenario, metric, value, unit);
    }

    synchronized Series series(String name, String xUnit, String yUnit) {
        return series.computeIfAbsent(name, n -> new Series(n, xUnit, yUnit, new ArrayList<>()));
    }

    synchronized void machine(String key, Object value) {
        machine.put(key, value);
    }

    synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    synchronized Map<String, Series> allSeries() {
        return Map.copyOf(series);
    }

    synchronized double value(String scenario, String metric) {
        return figures.stream().filter(f -> f.scenario().equals(scenario) && f.metric().equals(metric))
                .mapToDouble(Figure::value).findFirst().orElse(Double.NaN);
    }

    synchronized void printTable(PrintStream out) {
        out.println();
        out.printf("%-28s %-44s %14s %s%n", "SCENARIO", "METRIC", "VALUE", "UNIT");
        for (Figure f : figures) {
            out.printf(Locale.ROOT, "%-28s %-44s %14.2f %s%n", f.scenario(), f.metric(), f.value(), f.unit());
        }
    }

    synchronized void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", machine);
        doc.put("figures", figures);
        Map<String, Object> s = new LinkedHashMap<>();
        series.forEach((k, v) -> s.put(k, Map.of("xUnit", v.xUnit(), "yUnit", v.yUnit(), "points", v.points())));
        doc.put("series", s);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }
}
