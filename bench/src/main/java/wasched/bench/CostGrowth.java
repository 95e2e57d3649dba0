package wasched.bench;

import java.util.Map;

/** Dispatch throughput against claim batch size, dispatcher concurrency, and two replicas on one database. */
final class CostGrowth implements BenchMain.Scenario {
    @Override
    public void run(BenchContext ctx) throws Exception {
        int n = ctx.quick ? 2_000 : 10_000;
        for (int batch : new int[] {10, 100, 500}) {
            String name = "growth batch=" + batch;
            try (DispatchRun run = DispatchRun.start(ctx, "growth-b" + batch,
                    Map.of("WASCHED_DISPATCH_BATCH_SIZE", Integer.toString(batch)), 1)) {
                DispatchThroughput.measure(ctx, run, n, name);
            }
        }
        for (int concurrency : new int[] {8, 32, 128, 512}) {
            String name = "growth concurrency=" + concurrency;
            try (DispatchRun run = DispatchRun.start(ctx, "growth-c" + concurrency,
                    Map.of("WASCHED_DISPATCH_CONCURRENCY", Integer.toString(concurrency)), 1)) {
                DispatchThroughput.measure(ctx, run, n, name);
            }
        }
        try (DispatchRun run = DispatchRun.start(ctx, "growth-2x", Map.of(), 2)) {
            DispatchThroughput.measure(ctx, run, n, "growth 2 replicas");
        }
    }
}
