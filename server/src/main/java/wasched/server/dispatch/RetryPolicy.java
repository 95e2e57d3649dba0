package wasched.server.dispatch;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter, capped, honouring the provider's Retry-After when longer. */
public final class RetryPolicy {
    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;

    public RetryPolicy(int maxAttempts, Duration base, Duration cap, RandomGenerator random) {
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    public boolean exhausted(int attemptsSoFar) {
        return attemptsSoFar >= maxAttempts;
    }

    /** Delay before the next attempt, given how many attempts have been made. */
    public Duration delay(int attemptsSoFar, Duration retryAfter) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attemptsSoFar, 20));
        Duration jittered = Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }
}
