package wasched.server.security;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers access tokens whose signature and claims already verified, so a client sending the
 * same token on every call pays for one ECDSA verification, not one per call (it was a quarter of
 * the server's CPU under load). A hit is still checked against the clock: an expired token is
 * refused and forgotten. Keyed by the whole token, so any change to it is a miss.
 */
final class VerifiedTokens {
    private final int maxEntries;
    private final Clock clock;
    private final Map<String, AccessClaims> verified = new ConcurrentHashMap<>();

    VerifiedTokens(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The claims of a token verified before and not yet expired, or null. */
    AccessClaims get(String token) {
        AccessClaims claims = verified.get(token);
        if (claims != null && !clock.instant().isBefore(claims.expiresAt())) {
            verified.remove(token);
            return null;
        }
        return claims;
    }

    void put(String token, AccessClaims claims) {
        if (verified.size() >= maxEntries) {
            // Crude but bounded: tokens live 30 minutes, so a full map is mostly stale anyway.
            verified.clear();
        }
        verified.put(token, claims);
    }
}
