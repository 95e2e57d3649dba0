package wasched.server.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A token bucket pacing sends to the provider's throughput (80 messages/s per phone number by
 * default). Callers block until a token is free; a rate of 0 or less means unlimited.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    public RateLimiter(double perSecond, LongSupplier nanoTime) {
        this.perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = Math.max(1, perSecond);
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    public void acquire() {
        if (perNano <= 0) {
            return;
        }
        long wait;
        while ((wait = tryAcquire()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Takes a token and returns 0, or returns how many nanoseconds until one is free. */
    synchronized long tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
