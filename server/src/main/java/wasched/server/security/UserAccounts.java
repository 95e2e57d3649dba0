package wasched.server.security;

import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import wasched.server.DomainException;
import wasched.server.audit.AuditLog;
import wasched.server.DomainException.FieldViolation;
import wasched.server.persistence.Transactions;
import wasched.server.persistence.UserEntity;

/** Users: creation with validated names and Argon2id-hashed passwords, lookup, and the first admin. */
public final class UserAccounts {
    private static final Logger LOG = Logger.getLogger(UserAccounts.class.getName());
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");
    static final int MIN_PASSWORD_LENGTH = 12;

    private final Transactions tx;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final AuditLog audit;

    public UserAccounts(Transactions tx, PasswordHasher hasher, Clock clock, AuditLog audit) {
        this.tx = tx;
        this.hasher = hasher;
        this.clock = clock;
        this.audit = audit;
    }

    /** A user as the rest of the server sees it (never the hash). */
    public record Account(UUID id, String username, Role role, boolean locked, java.time.Instant createdAt) {
        static Account of(UserEntity e) {
            return new Account(e.getId(), e.getUsername(), Role.valueOf(e.getRole()), e.isLocked(), e.getCreatedAt());
        }
    }

    /** Creates a user; {@code actor} is who asked (audited). */
    public Account create(String actor, String username, char[] password, Role role, String fieldPrefix) {
        List<FieldViolation> violations = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            violations.add(new FieldViolation(fieldPrefix + "username",
                    "must be 3-64 characters: letters, digits, '.', '_' or '-'"));
        }
        if (role == null) {
            violations.add(new FieldViolation(fieldPrefix + "role", "must be ROLE_ADMIN, ROLE_USER or ROLE_VIEWER"));
        }
        if (password == null || password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
            violations.add(new FieldViolation("password", "must be 12-1024 characters"));
        }
        if (!violations.isEmpty()) {
            throw new DomainException.InvalidArgument(violations);
        }
        String hash = hasher.hash(password);
        Account created = tx.inTransaction(em -> {
            if (findEntity(em, username).isPresent()) {
                throw new DomainException.AlreadyExists("users/" + username + " already exists");
            }
            UserEntity e = new UserEntity(UUID.randomUUID(), username, hash, role.name(),
                    clock.instant().truncatedTo(ChronoUnit.MICROS));
            em.persist(e);
            return Account.of(e);
        });
        audit.record(actor, "user.created", "users/" + username, "role " + role);
        return created;
    }

    public Optional<Account> find(String username) {
        return tx.inTransaction(em -> findEntity(em, username).map(Account::of));
    }

    /** The stored hash, for the authenticator only. */
    Optional<String> passwordHash(String username) {
        return tx.inTransaction(em -> findEntity(em, username).map(UserEntity::getPasswordHash));
    }

    /** Failed logins within {@link #FAILED_LOGIN_WINDOW} that lock an account. */
    static final int MAX_FAILED_LOGINS = 5;
    static final java.time.Duration FAILED_LOGIN_WINDOW = java.time.Duration.ofMinutes(5);

    /**
     * Counts a failed login for an existing user; the {@value #MAX_FAILED_LOGINS}th within the
     * window locks the account. Returns true if this failure locked it.
     */
    boolean recordFailedLogin(String username) {
        java.time.Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        boolean lockedNow = tx.inTransaction(em -> {
            UserEntity u = lockedEntity(em, username);
            if (u == null || u.isLocked()) {
                return false;
            }
            if (u.getFailedWindowStart() == null || !now.isBefore(u.getFailedWindowStart().plus(FAILED_LOGIN_WINDOW))) {
                u.setFailedWindowStart(now);
                u.setFailedLogins(1);
            } else {
                u.setFailedLogins(u.getFailedLogins() + 1);
            }
            if (u.getFailedLogins() >= MAX_FAILED_LOGINS) {
                u.setLocked(true);
                u.setLockedAt(now);
                LOG.warning(() -> "user " + username + " locked after " + MAX_FAILED_LOGINS
                        + " failed logins within " + FAILED_LOGIN_WINDOW.toMinutes() + " minutes");
                return true;
            }
            return false;
        });
        audit.record("users/" + username, "login.failed", "users/" + username,
                lockedNow ? "wrong password; account locked after " + MAX_FAILED_LOGINS + " failures" : "wrong password");
        return lockedNow;
    }

    /** Forgets earlier failures after a successful login (writes only if there were any). */
    void recordSuccessfulLogin(String username) {
        tx.run(em -> {
            UserEntity u = lockedEntity(em, username);
            if (u != null && u.getFailedLogins() > 0) {
                u.setFailedLogins(0);
                u.setFailedWindowStart(null);
            }
        });
    }

    /** Locks or unlocks an account (an administrator's decision); unlocking also clears failures. */
    public Account setLocked(String actor, String username, boolean locked) {
        java.time.Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Account result = tx.inTransaction(em -> {
            UserEntity u = lockedEntity(em, username);
            if (u == null) {
                throw new DomainException.NotFound("users/" + username);
            }
            u.setLocked(locked);
            u.setLockedAt(locked ? now : null);
            u.setFailedLogins(0);
            u.setFailedWindowStart(null);
            return Account.of(u);
        });
        audit.record(actor, locked ? "user.locked" : "user.unlocked", "users/" + username, "by an administrator");
        return result;
    }

    private static UserEntity lockedEntity(EntityManager em, String username) {
        return em.createQuery("SELECT u FROM UserEntity u WHERE u.username = :u", UserEntity.class)
                .setParameter("u", username)
                .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(null);
    }

    public List<Account> list(int offset, int limit) {
        return tx.inTransaction(em -> em.createQuery(
                        "SELECT u FROM UserEntity u ORDER BY u.username", UserEntity.class)
                .setFirstResult(offset).setMaxResults(limit).getResultList().stream().map(Account::of).toList());
    }

    public Optional<Account> find(UUID userId) {
        return tx.inTransaction(em -> Optional.ofNullable(em.find(UserEntity.class, userId)).map(Account::of));
    }

    private static Optional<UserEntity> findEntity(EntityManager em, String username) {
        return em.createQuery("SELECT u FROM UserEntity u WHERE u.username = :u", UserEntity.class)
                .setParameter("u", username).getResultStream().findFirst();
    }

    /**
     * Creates the first admin when there are no users: with the password from the configured secret
     * file, or else a random one written to {@code generatedPasswordFile} (0600). Never a default
     * password.
     */
    public void bootstrapAdmin(String username, Optional<Path> passwordFile, Path generatedPasswordFile) {
        long users = tx.inTransaction(em -> em.createQuery("SELECT COUNT(u) FROM UserEntity u", Long.class)
                .getSingleResult());
        if (users > 0) {
            return;
        }
        char[] password;
        if (passwordFile.isPresent()) {
            password = readSecret(passwordFile.get()).toCharArray();
        } else {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            writeSecret(generatedPasswordFile, generated);
            password = generated.toCharArray();
            LOG.info(() -> "created first admin '" + username + "'; its password is in " + generatedPasswordFile);
        }
        create("bootstrap", username, password, Role.ADMIN, "bootstrap.");
    }

    private static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bootstrap admin password file " + file, e);
        }
    }

    private static void writeSecret(Path file, String value) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
