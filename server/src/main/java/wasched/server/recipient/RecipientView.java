package wasched.server.recipient;

import java.time.Instant;
import java.util.UUID;

/** A recipient with its phone and name opened, as returned to an authorised caller. */
public record RecipientView(UUID id, String ownerUsername, String phoneE164, String displayName, boolean optedOut,
        Instant createdAt, Instant updatedAt) {}
