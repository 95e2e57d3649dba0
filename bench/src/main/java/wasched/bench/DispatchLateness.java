package wasched.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import wasched.simulator.ReceivedMessage;

/**
 * A steady 1,000 messages/s coming due over 60 s: lateness = simulator receipt time − scheduled
 * time, as p50 / p99 / max, and over time for the plot.
 */
final class DispatchLateness implements BenchMain.Scenario {
    static final String NAME = "lateness 1000/s for 60 s";

    @Override
    public void run(BenchContext ctx) throws Exception {
        int perSecond = ctx.quick ? 200 : 1000;
        int seconds = ctx.quick ? 10 : 60;
        int n = perSecond * seconds;
        try (DispatchRun run = DispatchRun.start(ctx, "lateness", Map.of(), 1)) {
            // Inserting 60,000 rows takes a few seconds; start the schedule after that.
            Instant start = Instant.now().plusSeconds(ctx.quick ? 3 : 8);
            long stepNanos = 1_000_000_000L / perSecond;
            List<UUID> ids = run.insert(n, i -> start.plusNanos(i * stepNanos));
            if (Instant.now().isAfter(start)) {
                System.out.println("  warning: the insert overran the start of the schedule");
            }
            DispatchRun.Outcome outcome = run.await(ids, Duration.ofSeconds(seconds + 120), NAME);
            double[] lateness = new double[outcome.receipts().size()];
            var series = ctx.results.series("lateness", "s", "ms");
            int i = 0;
            int stride = Math.max(1, outcome.receipts().size() / 6000);
            for (ReceivedMessage r : outcome.receipts()) {
                Instant due = run.scheduled.get(UUID.fromString(r.callbackData()));
                double ms = Duration.between(due, r.receivedAt()).toNanos() / 1e6;
                if (i % stride == 0) {
                    series.points().add(new double[] {Duration.between(start, due).toNanos() / 1e9, ms});
                }
                lateness[i++] = ms;
            }
            Percentiles p = new Percentiles(lateness);
            ctx.results.add(NAME, "messages", n, "msgs");
            ctx.results.add(NAME, "lateness p50", p.at(50), "ms");
            ctx.results.add(NAME, "lateness p99", p.at(99), "ms");
            ctx.results.add(NAME, "lateness max", p.max(), "ms");
            ctx.results.add(NAME, "delivered rate", n / (double) seconds, "msg/s");
        }
    }
}
