package wasched.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every scenario against one PostgreSQL server and prints, writes (JSON) and plots (PNG) the
 * figures. Exits 1 if any message was lost or sent twice, 2 if a scenario could not run.
 * Usage: {@code bench/run [scenario ...]}; scenarios: see {@link #SCENARIOS}.
 */
public final class BenchMain {
    /** A benchmark scenario. */
    interface Scenario {
        void run(BenchContext ctx) throws Exception;
    }

    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("pgbench", new PgBenchBaseline());
        SCENARIOS.put("echo", new EchoBaseline());
        SCENARIOS.put("api", new ApiLoad());
        SCENARIOS.put("dispatch", new DispatchThroughput());
        SCENARIOS.put("lateness", new DispatchLateness());
        SCENARIOS.put("growth", new CostGrowth());
    }

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("bench.repo", ".")).toAbsolutePath().normalize();
        Path out = repo.resolve("bench-results");
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("wasched-bench");
        boolean quick = "1".equals(System.getenv("BENCH_QUICK"));
        List<String> chosen = args.length == 0 ? new ArrayList<>(SCENARIOS.keySet()) : List.of(args);
        Results results = new Results();
        results.machine("cpus", Runtime.getRuntime().availableProcessors());
        results.machine("maxMemoryBytes", Runtime.getRuntime().maxMemory());
        results.machine("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        results.machine("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        results.machine("startedAt", Instant.now().toString());
        results.machine("quick", quick);
        int exit = 0;
        try (BenchDatabase db = BenchDatabase.start()) {
            results.machine("postgres", db.serverVersion());
            BenchContext ctx = new BenchContext(repo, work, db, results, quick);
            for (String name : chosen) {
                Scenario s = SCENARIOS.get(name);
                if (s == null) {
                    System.err.println("unknown scenario " + name + "; known: " + SCENARIOS.keySet());
                    exit = 2;
                    continue;
                }
                System.out.println("== " + name);
                try {
                    s.run(ctx);
                } catch (Exception e) {
                    System.out.println("  scenario " + name + " failed: " + e);
                    e.printStackTrace(System.out);
                    exit = Math.max(exit, 2);
                }
            }
            results.printTable(System.out);
            results.writeJson(out.resolve("results.json"));
            Plots.write(results, out);
            System.out.println("\nwrote " + out.resolve("results.json") + " and PNG plots in " + out);
            if (!ctx.violations().isEmpty()) {
                System.out.println("LOST OR DOUBLED MESSAGES: " + ctx.violations());
                exit = 1;
            }
        }
        System.exit(exit);
    }
}
