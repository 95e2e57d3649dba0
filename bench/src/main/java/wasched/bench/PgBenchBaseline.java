package wasched.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Baseline: what the PostgreSQL server of this run does on its own with pgbench — the standard
 * TPC-B-like transaction and the simple-update variant ({@code -N}), 8 clients on 2 threads, on a
 * fresh database at scale 10. The API and dispatch figures are read against these.
 */
final class PgBenchBaseline implements BenchMain.Scenario {
    static final String SCENARIO = "baseline pgbench";
    static final String TPCB = "tpcb-like TPS";
    static final String SIMPLE = "simple-update (-N) TPS";

    // pgbench 14+: "tps = 1234.567 (without initial connection time)";
    // up to 13: "... (including connections establishing)" and "... (excluding connections establishing)".
    private static final Pattern TPS_NEW = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern TPS_OLD = Pattern.compile("tps = ([0-9.]+) \\(excluding connections establishing\\)");
    private static final Pattern TPS_ANY = Pattern.compile("tps = ([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    @Override
    public void run(BenchContext ctx) throws Exception {
        Path pgbench = find().orElseThrow(() -> new IllegalStateException(
                "pgbench not found on PATH or in /usr/lib/postgresql/*/bin; install postgresql-client "
                        + "(or postgresql-contrib); bench/run does this"));
        int scale = ctx.quick ? 2 : 10;
        int seconds = ctx.quick ? 5 : 20;
        String database = ctx.db.freshDatabase("pgbench");
        System.out.println("  " + pgbench + " (" + version(pgbench) + "), scale " + scale + ", " + seconds
                + " s per run, database " + database);
        try {
            run(ctx, pgbench, List.of("-i", "-q", "-s", Integer.toString(scale)), database, 300);
            for (boolean simple : new boolean[] {false, true}) {
                List<String> args = new ArrayList<>(List.of("-c", "8", "-j", "2", "-T", Integer.toString(seconds)));
                if (simple) {
                    args.add("-N");
                }
                String out = run(ctx, pgbench, args, database, seconds + 120);
                double tps = parseTps(out);
                String label = simple ? "simple-update (-N)" : "tpcb-like";
                ctx.results.add(SCENARIO, simple ? SIMPLE : TPCB, tps, "tx/s");
                Matcher lat = LATENCY.matcher(out);
                if (lat.find()) {
                    ctx.results.add(SCENARIO, label + " latency average", Double.parseDouble(lat.group(1)), "ms");
                }
            }
        } finally {
            try (Connection c = ctx.db.connect("postgres")) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database);
            } catch (Exception e) {
                System.out.println("  could not drop " + database + ": " + e.getMessage());
            }
        }
    }

    static double parseTps(String out) {
        for (Pattern p : List.of(TPS_NEW, TPS_OLD, TPS_ANY)) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new IllegalStateException("no \"tps = \" in pgbench output:\n" + out);
    }

    private static String run(BenchContext ctx, Path pgbench, List<String> args, String database, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(pgbench.toString());
        cmd.addAll(List.of("-h", ctx.db.host, "-p", Integer.toString(ctx.db.port), "-U", ctx.db.user));
        cmd.addAll(args);
        cmd.add(database);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (ctx.db.password != null && !ctx.db.password.isEmpty()) {
            pb.environment().put("PGPASSWORD", ctx.db.password);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        // Read while it runs (the output is small), then wait.
        byte[] bytes = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgbench " + args + " did not finish in " + timeoutSeconds + " s");
        }
        String out = new String(bytes, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pgbench " + args + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static String version(Path pgbench) {
        try {
            Process p = new ProcessBuilder(pgbench.toString(), "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (IOException | InterruptedException e) {
            return "version unknown";
        }
    }

    /** pgbench on PATH, else the newest /usr/lib/postgresql/N/bin/pgbench. */
    static Optional<Path> find() throws IOException {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "pgbench");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable)
                    .max(Comparator.comparingInt(PgBenchBaseline::major));
        }
    }

    private static int major(Path pgbench) {
        try {
            return Integer.parseInt(pgbench.getParent().getParent().getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
