package wasched.simulator;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides which status webhooks an accepted message gets: {@code sent} at once, then after the delivery delay
 * either {@code failed} (for an undeliverable recipient) or {@code delivered}, optionally followed by {@code read}.
 */
final class StatusPlan {

    private final Duration deliveryDelay;
    private final boolean sendReadReceipts;
    private final Set<String> undeliverableDigits;

    StatusPlan(Duration deliveryDelay, boolean sendReadReceipts, Set<String> undeliverableNumbers) {
        this.deliveryDelay = deliveryDelay;
        this.sendReadReceipts = sendReadReceipts;
        this.undeliverableDigits = undeliverableNumbers.stream()
                .map(PhoneNumbers::digits)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Queues the statuses of one accepted message on {@code sender}; {@code recipientId} is its {@code wa_id}. */
    void schedule(WebhookSender sender, String wamid, String recipientId, String callbackData) {
        sender.schedule(wamid, recipientId, callbackData, "sent", null, Duration.ZERO);
        if (undeliverableDigits.contains(recipientId)) {
            sender.schedule(wamid, recipientId, callbackData, "failed", CloudApiErrors.UNDELIVERABLE, deliveryDelay);
            return;
        }
        sender.schedule(wamid, recipientId, callbackData, "delivered", null, deliveryDelay);
        if (sendReadReceipts) {
            sender.schedule(wamid, recipientId, callbackData, "read", null, deliveryDelay);
        }
    }
}
