package wasched.server.schedule;

import java.time.Instant;
import java.util.UUID;

/** A message with its body opened, as returned to an authorised caller. */
public record MessageView(UUID id, UUID recipientId, String ownerUsername, String body, Instant sendAt,
        String timeZone, String state, String providerMessageId, int attemptCount, String lastError,
        Instant createdAt, Instant updatedAt) {}
