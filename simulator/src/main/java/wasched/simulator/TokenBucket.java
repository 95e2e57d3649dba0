package wasched.simulator;

/**
 * Token bucket refilled continuously at a rate that may change while it is in use. The bucket holds at most one
 * second's worth of tokens (never less than one), which is the burst the simulator allows.
 */
final class TokenBucket {

    private double tokens = -1; // negative: not yet initialised, starts full on first use
    private long lastRefillNanos;

    /**
     * Takes one token if available.
     *
     * @param ratePerSecond the current refill rate; {@code <= 0} means unlimited
     * @param nowNanos      the current {@link System#nanoTime()}
     * @return whether the caller may proceed
     */
    synchronized boolean tryAcquire(double ratePerSecond, long nowNanos) {
        if (ratePerSecond <= 0) {
            tokens = -1;
            return true;
        }
        double capacity = Math.max(1.0, ratePerSecond);
        if (tokens < 0) {
            tokens = capacity;
            lastRefillNanos = nowNanos;
        } else if (nowNanos > lastRefillNanos) {
            double elapsedSeconds = (nowNanos - lastRefillNanos) / 1_000_000_000.0;
            tokens = Math.min(capacity, tokens + elapsedSeconds * ratePerSecond);
            lastRefillNanos = nowNanos;
        } else {
            tokens = Math.min(tokens, capacity);
        }
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
