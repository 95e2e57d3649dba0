package wasched.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.logging.Logger;
import wasched.server.DomainException;
import wasched.server.audit.AuditLog;
import wasched.server.persistence.RefreshTokenEntity;
import wasched.server.persistence.Transactions;

/**
 * Login, refresh and logout. Access tokens are short-lived JWTs; refresh tokens are random, stored
 * only as hashes, usable once, and grouped in families so that replaying a used one revokes the
 * whole family (the stolen-token signal).
 */
public final class Authenticator {
    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());
    private static final String BAD_CREDENTIALS = "invalid username or password";

    private final UserAccounts users;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final Transactions tx;
    private final Clock clock;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final SecureRandom random = new SecureRandom();
    private final VerifiedTokens verifiedTokens;
    private final AuditLog audit;
    private final java.util.Map<String, CachedAccount> accounts = new java.util.concurrent.ConcurrentHashMap<>();
    /** How stale a caller's account (role, lock) may be when a call is authorised. */
    static final Duration ACCOUNT_TTL = Duration.ofSeconds(2);

    public Authenticator(UserAccounts users, PasswordHasher hasher, TokenService tokens, Transactions tx, Clock clock,
            Duration accessTtl, Duration refreshTtl, AuditLog audit) {
        this.audit = audit;
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.tx = tx;
        this.clock = clock;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.verifiedTokens = new VerifiedTokens(10_000, clock);
    }

    /** Tokens handed to a client. */
    public record IssuedTokens(String accessToken, Instant accessExpiresAt, String refreshToken,
            Instant refreshExpiresAt, String username, Role role) {}

    public IssuedTokens login(String username, char[] password) {
        var missing = new java.util.ArrayList<DomainException.FieldViolation>();
        if (username == null || username.isEmpty()) {
            missing.add(new DomainException.FieldViolation("username", "required"));
        }
        if (password == null || password.length == 0) {
            missing.add(new DomainException.FieldViolation("password", "required"));
        }
        if (!missing.isEmpty()) {
            throw new DomainException.InvalidArgument(missing);
        }
        var hash = users.passwordHash(username);
        // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
        boolean ok = hasher.verify(password, hash.orElseGet(hasher::dummyHash)) && hash.isPresent();
        var account = hash.isPresent() ? users.find(username).orElse(null) : null;
        if (account != null && account.locked()) {
            // Checked after the hash, so a locked account answers as slowly as any other.
            audit.record("users/" + username, "login.refused", "users/" + username, "account is locked");
            throw new DomainException.Unauthenticated("account is locked; an administrator can unlock it");
        }
        if (!ok || account == null) {
            LOG.info(() -> "login failed for user " + username);
            if (account == null) {
                String shown = username.length() > 64 ? username.substring(0, 64) + "…" : username;
                audit.record("unknown", "login.failed", "users/" + shown, "no such user");
            }
            if (account != null && users.recordFailedLogin(username)) {
                throw new DomainException.Unauthenticated("account is locked; an administrator can unlock it");
            }
            throw new DomainException.Unauthenticated(BAD_CREDENTIALS);
        }
        users.recordSuccessfulLogin(username);
        audit.record("users/" + username, "login", "users/" + username, "role " + account.role());
        UUID family = UUID.randomUUID();
        return issue(account, family);
    }

    public IssuedTokens refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new DomainException.InvalidArgument("refresh_token", "required");
        }
        String hash = sha256(refreshToken);
        Instant now = clock.instant();
        // Look up and consume in one transaction so two concurrent refreshes cannot both succeed.
        java.util.List<UUID> reusedBy = new java.util.ArrayList<>();
        RefreshOutcome outcome = tx.inTransaction(em -> {
            var found = em.createQuery("SELECT t FROM RefreshTokenEntity t WHERE t.tokenHash = :h",
                            RefreshTokenEntity.class)
                    .setParameter("h", hash)
                    .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                    .getResultStream().findFirst();
            if (found.isEmpty()) {
                return new RefreshOutcome(null, null, "unknown refresh token");
            }
            RefreshTokenEntity t = found.get();
            if (t.getRevokedAt() != null) {
                return new RefreshOutcome(null, null, "refresh token revoked");
            }
            if (t.getUsedAt() != null) {
                revokeFamily(em, t.getFamilyId(), now);
                reusedBy.add(t.getUserId());
                LOG.warning(() -> "refresh token reuse detected; revoked family " + t.getFamilyId());
                return new RefreshOutcome(null, null, "refresh token already used; session revoked");
            }
            if (!now.isBefore(t.getExpiresAt())) {
                return new RefreshOutcome(null, null, "refresh token expired");
            }
            t.setUsedAt(now);
            return new RefreshOutcome(t.getUserId(), t.getFamilyId(), null);
        });
        if (!reusedBy.isEmpty()) {
            String user = users.find(reusedBy.get(0)).map(a -> "users/" + a.username()).orElse("unknown");
            audit.record(user, "refresh.reused", user, "a used refresh token was presented; its session was revoked");
        }
        if (outcome.error() != null) {
            throw new DomainException.Unauthenticated(outcome.error());
        }
        var account = users.find(outcome.userId())
                .orElseThrow(() -> new DomainException.Unauthenticated("user no longer exists"));
        if (account.locked()) {
            throw new DomainException.Unauthenticated("account is locked");
        }
        return issue(account, outcome.familyId());
    }

    /** Revokes the refresh token's family, if the token belongs to the caller. */
    public void logout(String refreshToken, Principal caller) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new DomainException.InvalidArgument("refresh_token", "required");
        }
        String hash = sha256(refreshToken);
        Instant now = clock.instant();
        tx.run(em -> em.createQuery("SELECT t FROM RefreshTokenEntity t WHERE t.tokenHash = :h",
                        RefreshTokenEntity.class)
                .setParameter("h", hash).getResultStream().findFirst()
                .filter(t -> t.getUserId().equals(caller.userId()))
                .ifPresent(t -> revokeFamily(em, t.getFamilyId(), now)));
        audit.record("users/" + caller.username(), "logout", "users/" + caller.username(), "session revoked");
    }

    /** Resolves a verified access token to the current account; locked or deleted users are refused. */
    public Principal principalFor(String accessToken, String certificateSubject) {
        AccessClaims claims = verifiedTokens.get(accessToken);
        if (claims == null) {
            try {
                claims = tokens.verify(accessToken);
            } catch (InvalidTokenException e) {
                throw new DomainException.Unauthenticated("invalid access token: " + e.getMessage());
            }
            verifiedTokens.put(accessToken, claims);
        }
        var account = recentAccount(claims.username());
        if (account.locked()) {
            throw new DomainException.Unauthenticated("account is locked");
        }
        return new Principal(account.id(), account.username(), account.role(), certificateSubject);
    }

    /**
     * The account behind a token, re-read from the database at most every {@link #ACCOUNT_TTL}:
     * a lock or deletion takes effect within that time, and a busy client costs one lookup per
     * interval instead of one per call.
     */
    private UserAccounts.Account recentAccount(String username) {
        Instant now = clock.instant();
        CachedAccount cached = accounts.get(username);
        if (cached != null && now.isBefore(cached.readAt().plus(ACCOUNT_TTL))) {
            return cached.account();
        }
        var account = users.find(username)
                .orElseThrow(() -> new DomainException.Unauthenticated("user no longer exists"));
        if (accounts.size() >= 10_000) {
            accounts.clear();
        }
        accounts.put(username, new CachedAccount(account, now));
        return account;
    }

    private record CachedAccount(UserAccounts.Account account, Instant readAt) {}

    private record RefreshOutcome(UUID userId, UUID familyId, String error) {}

    private IssuedTokens issue(UserAccounts.Account account, UUID family) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String access = tokens.issueAccessToken(account.username(), account.role().name(), accessTtl);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant refreshExpires = now.plus(refreshTtl);
        tx.run(em -> em.persist(new RefreshTokenEntity(UUID.randomUUID(), sha256(refresh), family, account.id(),
                refreshExpires, now)));
        return new IssuedTokens(access, now.plus(accessTtl), refresh, refreshExpires, account.username(),
                account.role());
    }

    private static void revokeFamily(jakarta.persistence.EntityManager em, UUID family, Instant now) {
        em.createQuery("UPDATE RefreshTokenEntity t SET t.revokedAt = :now WHERE t.familyId = :f AND t.revokedAt IS NULL")
                .setParameter("now", now).setParameter("f", family).executeUpdate();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
