package wasched.server.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import wasched.server.config.Settings;
import wasched.server.recipient.PhoneNumbers;

/**
 * Moves due messages to the provider. One claim loop takes due messages in batches no larger than
 * the free send slots, and hands each to the managed executor, which paces sends through the rate
 * limiter and records the outcome. The loop sleeps until the next due time or the poll interval,
 * and is woken early when a message is scheduled on this node.
 *
 * <p>Shutdown order: stop claiming, let in-flight sends finish (up to the drain timeout), give
 * back claims that never started, then stop the executor.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final DeliveryStore store;
    private final CloudApiClient provider;
    private final RetryPolicy retry;
    private final RateLimiter rateLimiter;
    private final ManagedExecutor executor;
    private final Settings.Dispatch settings;
    private final Clock clock;
    private final String node;
    private final SentRecorder sentRecorder;
    private final Set<UUID> notStarted = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private boolean woken;
    private volatile boolean running;
    private Thread claimLoop;

    public Dispatcher(DeliveryStore store, CloudApiClient provider, RetryPolicy retry, RateLimiter rateLimiter,
            ManagedExecutor executor, Settings.Dispatch settings, Clock clock, String node) {
        this.store = store;
        this.provider = provider;
        this.retry = retry;
        this.rateLimiter = rateLimiter;
        this.executor = executor;
        this.settings = settings;
        this.clock = clock;
        this.node = node;
        this.sentRecorder = new SentRecorder(store, node);
    }

    public void start() {
        running = true;
        claimLoop = Thread.ofPlatform().name("wasched-dispatch-claimer").daemon(true).start(this::loop);
        LOG.info(() -> "dispatcher " + node + " started");
    }

    /** Wakes the claim loop now (a message became due, or a test moved the clock). */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the send time of each new message; wakes the loop if it is due before the next poll. */
    public void onScheduled(Instant dueAt) {
        if (!dueAt.isAfter(clock.instant().plus(settings.pollInterval()))) {
            wake();
        }
    }

    private void loop() {
        while (running) {
            try {
                // Claim in sizeable batches: waiting for a quarter of the slots to free up costs a
                // few milliseconds and saves a claim transaction per finished send.
                int batch = Math.min(settings.claimBatchSize(), executor.maxConcurrent());
                executor.awaitFreeSlots(Math.max(1, Math.min(batch, executor.maxConcurrent() / 4)));
                int capacity = Math.max(1, Math.min(batch, executor.freeSlots()));
                List<DeliveryStore.Claim> claims = store.claim(node, capacity, settings.leaseDuration());
                claims.forEach(c -> notStarted.add(c.messageId()));
                for (DeliveryStore.Claim claim : claims) {
                    executor.submit(() -> deliver(claim));
                }
                if (claims.size() < capacity) {
                    sleepUntilNextDue();
                }
            } catch (InterruptedException | RejectedExecutionException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "claim loop error; retrying after the poll interval", e);
                sleep(settings.pollInterval());
            }
        }
    }

    private void sleepUntilNextDue() {
        Duration wait = settings.pollInterval();
        var next = store.nextDue();
        if (next.isPresent()) {
            Duration untilDue = Duration.between(clock.instant(), next.get());
            if (untilDue.compareTo(wait) < 0) {
                wait = untilDue.isNegative() ? Duration.ZERO : untilDue;
            }
        }
        sleep(wait);
    }

    private void sleep(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!woken && running && nanos > 0) {
                nanos = wakeUp.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void deliver(DeliveryStore.Claim claim) {
        if (!notStarted.remove(claim.messageId())) {
            return; // released during shutdown
        }
        try {
            rateLimiter.acquire();
            SendResult result = provider.sendText(claim.phoneE164(), claim.body(), claim.messageId().toString());
            switch (result) {
                case SendResult.Accepted a -> {
                    sentRecorder.record(claim.messageId(), a.providerMessageId());
                    sent.incrementAndGet();
                }
                case SendResult.Retryable r when !retry.exhausted(claim.attempt()) -> {
                    Instant next = clock.instant().plus(retry.delay(claim.attempt(), r.retryAfter()));
                    store.markRetry(claim.messageId(), node, next, r.reason());
                    retried.incrementAndGet();
                }
                case SendResult.Retryable r -> {
                    store.markFailed(claim.messageId(), node, "gave up after " + claim.attempt() + " attempts: "
                            + r.reason());
                    failedSends.incrementAndGet();
                }
                case SendResult.Permanent p -> {
                    store.markFailed(claim.messageId(), node, p.reason());
                    failedSends.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            // The lease will expire and the message will be claimed again.
            LOG.log(Level.WARNING, "delivery of message " + claim.messageId() + " to "
                    + PhoneNumbers.mask(claim.phoneE164()) + " did not complete", e);
        }
    }

    /** Counters for the metrics endpoint. */
    public record Stats(long sent, long retried, long failed, int claimedNotStarted, ManagedExecutor.Stats executor) {}

    public Stats stats() {
        return new Stats(sent.get(), retried.get(), failedSends.get(), notStarted.size(), executor.stats());
    }

    @Override
    public void close() {
        running = false;
        wake();
        if (claimLoop != null) {
            claimLoop.interrupt();
            try {
                claimLoop.join(settings.drainTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Claims not yet started go back first, so the drain below waits only for real sends.
        for (UUID id : List.copyOf(notStarted)) {
            if (notStarted.remove(id)) {
                try {
                    store.release(id, node);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not release claim " + id + "; its lease will expire", e);
                }
            }
        }
        if (!executor.drain(settings.drainTimeout())) {
            LOG.warning("sends still running after the drain timeout; their leases will expire and be retried");
        }
        executor.close();
        sentRecorder.close();
        LOG.info(() -> "dispatcher " + node + " stopped");
    }
}
