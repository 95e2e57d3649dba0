package wasched.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque keyset position for list methods: the (created_at, id) of the last row returned.
 * Tokens are plain positions, not secrets; a token only narrows a query the caller may run anyway.
 */
public record PageToken(Instant createdAt, UUID id) {
    public String encode() {
        String raw = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a token; blank means the first page. */
    public static PageToken decode(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
            return new PageToken(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw new DomainException.InvalidArgument("page_token", "not a token from a previous response");
        }
    }

    /** Validates a requested page size against the server maximum; 0 means the default of 50. */
    public static int pageSize(int requested, int max) {
        if (requested < 0) {
            throw new DomainException.InvalidArgument("page_size", "must not be negative");
        }
        return requested == 0 ? 50 : Math.min(requested, max);
    }

    /** A page of results and the token for the next one (null at the end). */
    public record Page<T>(java.util.List<T> items, String nextPageToken) {}
}
