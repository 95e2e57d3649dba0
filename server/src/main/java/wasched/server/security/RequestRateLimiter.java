package wasched.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (principal and method): {@code perMinute} requests a minute, refilled
 * continuously, with a burst of the same size. Time comes from the injected clock. This is the
 * in-memory store of one node; replicas that must share a budget need a shared store behind the
 * same methods.
 */
public final class RequestRateLimiter {
    private static final int MAX_KEYS = 100_000;

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RequestRateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** The outcome of one request: allowed, or refused with how long until a request is allowed. */
    public record Decision(boolean allowed, Duration retryAfter) {}

    public int perMinute() {
        return perMinute;
    }

    public Decision acquire(String key) {
        if (perMinute <= 0) {
            return new Decision(true, Duration.ZERO);
        }
        if (buckets.size() > MAX_KEYS) {
            // Full buckets carry no state worth keeping; dropping them bounds memory.
            Instant now = clock.instant();
            buckets.values().removeIf(b -> b.isFull(now));
        }
        return buckets.computeIfAbsent(key, k -> new Bucket(perMinute, clock.instant())).take(clock.instant());
    }

    private static final class Bucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private Instant last;

        Bucket(int perMinute, Instant now) {
            this.capacity = perMinute;
            this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
            this.tokens = perMinute;
            this.last = now;
        }

        synchronized Decision take(Instant now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return new Decision(true, Duration.ZERO);
            }
            return new Decision(false, Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano)));
        }

        synchronized boolean isFull(Instant now) {
            refill(now);
            return tokens >= capacity;
        }

        private void refill(Instant now) {
            long elapsed = Duration.between(last, now).toNanos();
            if (elapsed > 0) {
                tokens = Math.min(capacity, tokens + elapsed * perNano);
                last = now;
            }
        }
    }
}
