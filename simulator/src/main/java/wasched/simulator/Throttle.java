package wasched.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Cloud API throughput limit: one token bucket per business phone-number-id, all refilled at one rate that may
 * change at any time. Thread-safe.
 */
final class Throttle {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile double maxMessagesPerSecond;

    Throttle(double maxMessagesPerSecond) {
        this.maxMessagesPerSecond = maxMessagesPerSecond;
    }

    /** The current limit; {@code <= 0} means unlimited. */
    double maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    void setMaxMessagesPerSecond(double rate) {
        this.maxMessagesPerSecond = rate;
    }

    /** Whether one more message from {@code phoneNumberId} fits the limit now; if so, it is counted. */
    boolean tryAcquire(String phoneNumberId) {
        TokenBucket bucket = buckets.computeIfAbsent(phoneNumberId, id -> new TokenBucket());
        return bucket.tryAcquire(maxMessagesPerSecond, System.nanoTime());
    }
}
