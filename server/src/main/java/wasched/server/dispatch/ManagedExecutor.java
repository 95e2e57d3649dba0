package wasched.server.dispatch;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bounded, instrumented executor owned by the server's lifecycle: virtual threads, at most
 * {@code maxConcurrent} tasks at once (submitters block for a slot, which is the back-pressure the
 * claim loop needs), counters for metrics, and an orderly drain on shutdown.
 */
public final class ManagedExecutor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ManagedExecutor.class.getName());

    private final String name;
    private final int maxConcurrent;
    private final Semaphore slots;
    private final ExecutorService threads;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private volatile boolean accepting = true;

    public ManagedExecutor(String name, int maxConcurrent) {
        this.name = name;
        this.maxConcurrent = maxConcurrent;
        this.slots = new Semaphore(maxConcurrent);
        ThreadFactory factory = Thread.ofVirtual().name(name + "-", 0).factory();
        this.threads = Executors.newThreadPerTaskExecutor(factory);
    }

    /** Runs the task when a slot is free, blocking the caller until then. */
    public void submit(Runnable task) throws InterruptedException {
        if (!accepting) {
            rejected.incrementAndGet();
            throw new RejectedExecutionException(name + " is shutting down");
        }
        waiting.incrementAndGet();
        try {
            slots.acquire();
        } finally {
            waiting.decrementAndGet();
        }
        submitted.incrementAndGet();
        try {
            threads.execute(() -> {
                try {
                    task.run();
                    completed.incrementAndGet();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    LOG.log(Level.SEVERE, name + " task failed", e);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            rejected.incrementAndGet();
            throw e;
        }
    }

    public int freeSlots() {
        return slots.availablePermits();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** Blocks until at least {@code n} slots are free at once (they stay free for the caller to use). */
    public void awaitFreeSlots(int n) throws InterruptedException {
        int wanted = Math.min(n, maxConcurrent);
        slots.acquire(wanted);
        slots.release(wanted);
    }

    /** Counters for the metrics endpoint. */
    public record Stats(String name, int active, long waiting, long submitted, long completed, long failed,
            long rejected, int maxConcurrent) {}

    public Stats stats() {
        return new Stats(name, maxConcurrent - slots.availablePermits(), waiting.get(), submitted.get(),
                completed.get(), failed.get(), rejected.get(), maxConcurrent);
    }

    /** Stops accepting work and waits up to {@code timeout} for running tasks; true if all finished. */
    public boolean drain(Duration timeout) {
        accepting = false;
        threads.shutdown();
        try {
            return threads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        accepting = false;
        threads.shutdownNow();
    }
}
