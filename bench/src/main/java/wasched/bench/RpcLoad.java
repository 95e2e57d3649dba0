package wasched.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A gRPC load generator over a few mTLS channels, in two modes:
 *
 * <ul>
 *   <li>{@link #closedLoop}: C calls always in flight (each completion starts the next one) — the
 *       saturation throughput and its latency;
 *   <li>{@link #openLoop}: calls started on a fixed schedule at a target rate, each latency measured
 *       from the call's <em>intended</em> start, so a stalled server shows as latency rather than as
 *       fewer samples (no coordinated omission).
 * </ul>
 *
 * Each call carries its own deadline (the {@link Caller} sets it). Latencies and completions are
 * counted only inside the measurement window, after a warm-up.
 *
 * <p>Note: the bench machine has 2 cores shared by this client and the server under test, so the
 * figures are what the pair achieves together; 64 in-flight calls are enough to keep both cores
 * busy without just queueing.
 */
final class RpcLoad {
    /** In-flight calls for saturation; enough for 2 shared cores (see the class comment). */
    static final int SATURATION_CONCURRENCY = 64;
    /** Channels (HTTP/2 connections) the calls are spread over. */
    static final int CHANNELS = 4;
    /** Latency samples kept per run (further calls are counted but not sampled). */
    private static final int MAX_SAMPLES = 2_000_000;
    /** Open loop: calls in flight beyond this are not started and count as errors. */
    private static final int OPEN_LOOP_MAX_IN_FLIGHT = 20_000;

    /** Starts one call on channel {@code channel}; {@code seq} is unique within a run. */
    @FunctionalInterface
    interface Caller {
        ListenableFuture<?> call(int channel, long seq);
    }

    /**
     * What a run measured.
     *
     * @param startSec per sampled call, when it counted, in seconds since the measurement began: its
     *     intended start (open loop) or its end (closed loop) — always within the window
     * @param latencyMs per sampled call, its latency in milliseconds
     */
    record Result(long completed, long errors, double seconds, Percentiles latency, double[] startSec,
            double[] latencyMs, String firstError) {
        double rps() {
            return completed / seconds;
        }

        double p50() {
            return latency.at(50);
        }

        double p99() {
            return latency.at(99);
        }

        String summary() {
            return String.format(Locale.ROOT, "%.0f RPC/s, p50 %.2f ms, p99 %.2f ms, %d ok, %d errors%s",
                    rps(), p50(), p99(), completed, errors, firstError == null ? "" : " (first: " + firstError + ")");
        }
    }

    static List<ManagedChannel> channels(int port, Path certDir) throws Exception {
        List<ManagedChannel> list = new ArrayList<>();
        for (int i = 0; i < CHANNELS; i++) {
            // directExecutor: completions run on the Netty event loop, where they only start the next
            // call; this saves a thread hand-off per call, which matters with 2 shared cores.
            ManagedChannel ch = NettyChannelBuilder.forAddress("localhost", port)
                    .sslContext(Tls.clientContext(certDir))
                    .flowControlWindow(1 << 20)
                    .directExecutor()
                    .build();
            ch.getState(true); // connect now, not inside the measurement
            list.add(ch);
        }
        return list;
    }

    static void close(List<ManagedChannel> channels) throws InterruptedException {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : channels) {
            ch.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Sample store shared by both modes: counts and latencies of calls that ended in the window. */
    private static final class Recorder {
        final long measureStart;
        final long measureEnd;
        final double[] start;
        final double[] latency;
        final AtomicInteger samples = new AtomicInteger();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final ConcurrentHashMap<String, AtomicLong> errorCodes = new ConcurrentHashMap<>();
        /** Open loop: a call belongs to the window by its intended start; closed loop: by its end. */
        final boolean byStart;

        Recorder(long measureStart, long measureEnd, int capacity, boolean byStart) {
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.byStart = byStart;
            this.start = new double[capacity];
            this.latency = new double[capacity];
        }

        /** @param begin the call's (intended) start; @param end its completion, both nanoTime */
        void done(long begin, long end, Throwable failure) {
            long at = byStart ? begin : end;
            if (at < measureStart || at >= measureEnd) {
                return;
            }
            if (failure != null) {
                errors.incrementAndGet();
                Status s = Status.fromThrowable(failure);
                String what = s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
                firstError.compareAndSet(null, what);
                errorCodes.computeIfAbsent(s.getCode().toString(), k -> new AtomicLong()).incrementAndGet();
                return;
            }
            completed.incrementAndGet();
            int i = samples.getAndIncrement();
            if (i < start.length) {
                start[i] = (at - measureStart) / 1e9;
                latency[i] = (end - begin) / 1e6;
            }
        }

        void error(String what) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, what);
        }

        Result result() {
            int n = Math.min(samples.get(), start.length);
            double[] s = java.util.Arrays.copyOf(start, n);
            double[] l = java.util.Arrays.copyOf(latency, n);
            if (!errorCodes.isEmpty()) {
                System.out.println("    errors by code: " + errorCodes);
            }
            return new Result(completed.get(), errors.get(), (measureEnd - measureStart) / 1e9,
                    new Percentiles(l), s, l, firstError.get());
        }
    }

    /**
     * Keeps {@code concurrency} calls in flight for {@code warmupSeconds + measureSeconds}, spread
     * round-robin over {@code channels} channels, and measures the last {@code measureSeconds}.
     */
    static Result closedLoop(int channels, Caller caller, int concurrency, double warmupSeconds,
            double measureSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long measureStart = t0 + (long) (warmupSeconds * 1e9);
        long measureEnd = measureStart + (long) (measureSeconds * 1e9);
        Recorder rec = new Recorder(measureStart, measureEnd, MAX_SAMPLES, false);
        AtomicLong seq = new AtomicLong();
        AtomicInteger inFlight = new AtomicInteger();
        Object idle = new Object();
        // Completions normally arrive on gRPC's executor; a call that fails at once completes inline,
        // so deep chains of those are handed to another thread instead of growing the stack.
        ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
        class Loop {
            void next(int lane) {
                int[] d = depth.get();
                if (d[0] > 32) {
                    ForkJoinPool.commonPool().execute(() -> next(lane));
                    return;
                }
                d[0]++;
                try {
                    startOne(lane);
                } finally {
                    d[0]--;
                }
            }

            private void startOne(int lane) {
                if (System.nanoTime() >= measureEnd) {
                    if (inFlight.decrementAndGet() == 0) {
                        synchronized (idle) {
                            idle.notifyAll();
                        }
                    }
                    return;
                }
                long begin = System.nanoTime();
                ListenableFuture<?> f;
                try {
                    f = caller.call(lane % channels, seq.getAndIncrement());
                } catch (RuntimeException e) {
                    f = Futures.immediateFailedFuture(e);
                }
                Futures.addCallback(f, new FutureCallback<Object>() {
                    @Override
                    public void onSuccess(Object r) {
                        rec.done(begin, System.nanoTime(), null);
                        next(lane);
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        rec.done(begin, System.nanoTime(), t);
                        next(lane);
                    }
                }, MoreExecutors.directExecutor());
            }
        }
        Loop loop = new Loop();
        inFlight.set(concurrency);
        for (int lane = 0; lane < concurrency; lane++) {
            loop.next(lane);
        }
        // Wait for the window to close and the last calls to end (their deadlines bound this).
        long waitUntil = measureEnd + TimeUnit.SECONDS.toNanos(30);
        synchronized (idle) {
            while (inFlight.get() > 0 && System.nanoTime() < waitUntil) {
                idle.wait(100);
            }
        }
        return rec.result();
    }

    /**
     * Starts calls at {@code ratePerSecond} for {@code warmupSeconds + measureSeconds}, regardless of
     * how fast they complete, and measures the last {@code measureSeconds}. Latency counts from the
     * scheduled start, so if this thread (or the server) falls behind, the delay is in the figure.
     */
    static Result openLoop(int channels, Caller caller, double ratePerSecond, double warmupSeconds,
            double measureSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long measureStart = t0 + (long) (warmupSeconds * 1e9);
        long measureEnd = measureStart + (long) (measureSeconds * 1e9);
        Recorder rec = new Recorder(measureStart, measureEnd, MAX_SAMPLES, true);
        AtomicInteger inFlight = new AtomicInteger();
        double intervalNanos = 1e9 / ratePerSecond;
        long i = 0;
        while (true) {
            long intended = t0 + (long) (i * intervalNanos);
            if (intended >= measureEnd) {
                break;
            }
            long now = System.nanoTime();
            if (intended > now) {
                LockSupport.parkNanos(intended - now);
                continue;
            }
            long seq = i++;
            if (inFlight.get() >= OPEN_LOOP_MAX_IN_FLIGHT) {
                if (intended >= measureStart) {
                    rec.error("client: more than " + OPEN_LOOP_MAX_IN_FLIGHT + " calls in flight");
                }
                continue;
            }
            inFlight.incrementAndGet();
            ListenableFuture<?> f;
            try {
                f = caller.call((int) (seq % channels), seq);
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                rec.done(intended, System.nanoTime(), e);
                continue;
            }
            Futures.addCallback(f, new FutureCallback<Object>() {
                @Override
                public void onSuccess(Object r) {
                    rec.done(intended, System.nanoTime(), null);
                    inFlight.decrementAndGet();
                }

                @Override
                public void onFailure(Throwable t) {
                    rec.done(intended, System.nanoTime(), t);
                    inFlight.decrementAndGet();
                }
            }, MoreExecutors.directExecutor());
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() > 0 && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        return rec.result();
    }
}
