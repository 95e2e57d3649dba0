package wasched.server.security;

import java.time.Instant;

/**
 * The verified contents of an access token.
 *
 * @param username the subject ({@code sub})
 * @param role the caller's role, e.g. {@code "ADMIN"}
 * @param tokenId the unique token id ({@code jti}), usable for revocation lists
 * @param expiresAt when the token expires ({@code exp})
 */
public record AccessClaims(String username, String role, String tokenId, Instant expiresAt) {
}
