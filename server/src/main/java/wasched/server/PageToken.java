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

    /** Where a keyset query starts: after this token's row, or before everything. */
    public static java.time.OffsetDateTime afterTime(PageToken after) {
        return (after == null ? Instant.EPOCH : after.createdAt()).atOffset(java.time.ZoneOffset.UTC);
    }

    public static UUID afterId(PageToken after) {
        return after == null ? new UUID(0, 0) : after.id();
    }

    /**
     * The page for views of the first {@code pageSize} rows of a keyset query that asked for one
     * row more: if that extra row came back, the next token points after the last view.
     */
    public static <V> Page<V> page(int rowsFound, int pageSize, java.util.List<V> views,
            java.util.function.Function<V, Instant> createdAt, java.util.function.Function<V, UUID> id) {
        String next = rowsFound > pageSize && !views.isEmpty()
                ? new PageToken(createdAt.apply(views.getLast()), id.apply(views.getLast())).encode() : null;
        return new Page<>(views, next);
    }

    /** A page of results and the token for the next one (null at the end). */
    public record Page<T>(java.util.List<T> items, String nextPageToken) {}
}
