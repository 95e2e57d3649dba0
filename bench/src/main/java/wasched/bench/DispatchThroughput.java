package wasched.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * 50,000 messages due at once, provider limits lifted: deliveries per second from the first claim
 * to the last status recorded, and as a ratio to pgbench's tpcb-like TPS on the same server.
 */
final class DispatchThroughput implements BenchMain.Scenario {
    static final String NAME = "dispatch 50k due at once";

    @Override
    public void run(BenchContext ctx) throws Exception {
        int n = ctx.quick ? 5_000 : 50_000;
        try (DispatchRun run = DispatchRun.start(ctx, "dispatch", Map.of(), 1)) {
            double rate = measure(ctx, run, n, NAME);
            double tps = ctx.results.value("baseline pgbench", "tpcb-like TPS");
            if (!Double.isNaN(tps)) {
                ctx.results.add(NAME, "ratio to pgbench tpcb-like TPS", rate / tps, "x");
            }
            var series = ctx.results.series("dispatch throughput", "s", "deliveries/s");
            Map<Long, Integer> perSecond = new TreeMap<>();
            Instant start = run.simulator.received().stream().map(r -> r.receivedAt()).min(Instant::compareTo)
                    .orElse(Instant.now());
            run.simulator.received().forEach(r -> perSecond.merge(
                    Duration.between(start, r.receivedAt()).toSeconds(), 1, Integer::sum));
            perSecond.forEach((s, c) -> series.points().add(new double[] {s, c}));
        }
    }

    /** Inserts n messages due shortly, waits for all, records deliveries/s; returns it. */
    static double measure(BenchContext ctx, DispatchRun run, int n, String scenario) throws Exception {
        // Due two seconds after the insert finishes would be too late to know; due "now" means the
        // dispatcher may start while we insert, which would measure our insert. So: due after it.
        long t0 = System.nanoTime();
        Instant due = Instant.now().plusSeconds(3600);
        List<UUID> ids = run.insert(n, i -> due);
        double insertSeconds = (System.nanoTime() - t0) / 1e9;
        try (var c = run.db()) {
            // Make the whole batch due at the same instant, in one statement.
            c.createStatement().executeUpdate(
                    "UPDATE messages SET send_at = now(), next_attempt_at = now() WHERE state = 'SCHEDULED'");
        }
        ctx.results.add(scenario, "messages", n, "msgs");
        ctx.results.add(scenario, "set-up insert time (not measured)", insertSeconds, "s");
        DispatchRun.Outcome outcome = run.await(ids, Duration.ofMinutes(ctx.quick ? 2 : 4), scenario);
        double rate = outcome.deliveriesPerSecond(n);
        ctx.results.add(scenario, "deliveries/s (first claim to last SENT)", rate, "msg/s");
        ctx.results.add(scenario, "wall time first claim to last SENT",
                Duration.between(outcome.firstClaim(), outcome.lastRecorded()).toMillis() / 1000.0, "s");
        return rate;
    }
}
