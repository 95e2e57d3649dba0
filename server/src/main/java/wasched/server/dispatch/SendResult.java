package wasched.server.dispatch;

import java.time.Duration;

/** What the provider said about one send. */
public sealed interface SendResult {
    /** Accepted; the provider's message id (wamid). */
    record Accepted(String providerMessageId) implements SendResult {}

    /** Worth trying again later; {@code retryAfter} is the provider's hint, if it gave one. */
    record Retryable(int code, String reason, Duration retryAfter) implements SendResult {}

    /** Will never succeed as asked. */
    record Permanent(int code, String reason) implements SendResult {}
}
