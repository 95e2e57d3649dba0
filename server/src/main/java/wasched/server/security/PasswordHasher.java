package wasched.server.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.util.Arrays;

/**
 * Argon2id password hashing with BouncyCastle, stored in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (standard base64 without padding).
 *
 * <p>New hashes use m = 19456 KiB, t = 2, p = 1, a 16-byte random salt and a 32-byte output. Verification reads
 * the parameters from the stored string, so hashes made with older parameters still verify. Each hash needs
 * about 19 MiB, so the number of concurrent computations is bounded by a semaphore: a flood of login attempts
 * queues instead of exhausting memory. Instances are thread-safe. Callers own the password arrays and should
 * clear them after use.
 */
public final class PasswordHasher {

    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    // Bounds applied to stored values so a corrupt or hostile row cannot demand absurd resources.
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 16;
    private static final int MAX_PARALLELISM = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=([0-9]{1,8}),t=([0-9]{1,3}),p=([0-9]{1,3})"
                    + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");

    private final Semaphore permits;
    private final SecureRandom random = new SecureRandom();
    private final Base64.Encoder encoder = Base64.getEncoder().withoutPadding();
    private final Base64.Decoder decoder = Base64.getDecoder();
    private final Object dummyLock = new Object();
    private volatile String dummy;

    /**
     * Creates a hasher.
     *
     * @param maxConcurrent how many hashes may be computed at the same time (at least 1)
     */
    public PasswordHasher(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.permits = new Semaphore(maxConcurrent, true);
    }

    /** Hashes {@code password} with a fresh random salt and the current parameters. */
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = compute(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + encoder.encodeToString(salt) + "$" + encoder.encodeToString(hash);
    }

    /**
     * Checks {@code password} against a stored PHC string, comparing in constant time.
     *
     * @return {@code true} only if the password matches; {@code false} for a wrong password and for a
     *     missing, malformed or out-of-bounds stored value
     */
    public boolean verify(char[] password, String storedHash) {
        if (password == null || storedHash == null) {
            return false;
        }
        Matcher m = PHC.matcher(storedHash);
        if (!m.matches()) {
            return false;
        }
        int memory = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int parallelism = Integer.parseInt(m.group(3));
        if (parallelism < 1 || parallelism > MAX_PARALLELISM || iterations < 1 || iterations > MAX_ITERATIONS
                || memory < 8 * parallelism || memory > MAX_MEMORY_KIB) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = decoder.decode(m.group(4));
            expected = decoder.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (salt.length < 8 || expected.length < 16) {
            return false;
        }
        byte[] actual = compute(password, salt, memory, iterations, parallelism, expected.length);
        return Arrays.constantTimeAreEqual(expected, actual);
    }

    /**
     * A valid hash of a random password, computed once per instance. Verifying against it when a user does not
     * exist makes failed logins for unknown and known users take the same time.
     */
    public String dummyHash() {
        String value = dummy;
        if (value == null) {
            synchronized (dummyLock) {
                value = dummy;
                if (value == null) {
                    char[] password = new char[24];
                    for (int i = 0; i < password.length; i++) {
                        password[i] = (char) ('!' + random.nextInt(94));
                    }
                    value = hash(password);
                    java.util.Arrays.fill(password, '\0');
                    dummy = value;
                }
            }
        }
        return value;
    }

    private byte[] compute(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism,
                           int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        byte[] out = new byte[length];
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to hash a password", e);
        }
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(params);
            generator.generateBytes(password, out);
            return out;
        } finally {
            permits.release();
        }
    }
}
