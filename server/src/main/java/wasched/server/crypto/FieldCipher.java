package wasched.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-256-GCM sealing of individual database fields, using the active key of a {@link Keyring}.
 *
 * <p>A sealed value is the text {@code "<keyId>:" + base64url-no-padding(nonce || ciphertext || tag)} with a
 * random 96-bit nonce and a 128-bit tag. The associated data binds the value to where it is stored (see
 * {@link #aad(String, String, Object)}), so a value copied into another row or column will not open. Instances
 * are thread-safe.
 */
public final class FieldCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;

    private final Keyring keyring;
    private final SecureRandom random = new SecureRandom();
    private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    private final Base64.Decoder decoder = Base64.getUrlDecoder();

    /** Creates a cipher that seals with the keyring's active key and opens with any of its keys. */
    public FieldCipher(Keyring keyring) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    /** Builds the standard associated data for a stored field: {@code table + "|" + column + "|" + rowId}. */
    public static String aad(String table, String column, Object rowId) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(rowId, "rowId");
        return table + "|" + column + "|" + rowId;
    }

    /**
     * Seals UTF-8 {@code plaintext} under the active key with {@code aad} (UTF-8) as associated data.
     *
     * @return {@code "<keyId>:" + base64url(nonce || ciphertext || tag)}
     */
    public String seal(String plaintext, String aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        String keyId = keyring.activeKeyId();
        byte[] key = keyring.key(keyId);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] input = plaintext.getBytes(StandardCharsets.UTF_8);
        AEADBlockCipher gcm = newGcm(true, key, nonce, aad);
        byte[] out = new byte[NONCE_BYTES + gcm.getOutputSize(input.length)];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        try {
            int written = gcm.processBytes(input, 0, input.length, out, NONCE_BYTES);
            written += gcm.doFinal(out, NONCE_BYTES + written);
            if (written != out.length - NONCE_BYTES) {
                throw new CryptoException("unexpected ciphertext length");
            }
        } catch (InvalidCipherTextException e) {
            throw new CryptoException("sealing failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(input, (byte) 0);
        }
        return keyId + ":" + encoder.encodeToString(out);
    }

    /**
     * Opens a value produced by {@link #seal(String, String)} with the key named by its prefix.
     *
     * @throws CryptoException if the value is malformed, names an unknown key, was tampered with, or was sealed
     *     with different associated data
     */
    public String open(String sealed, String aad) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(aad, "aad");
        int colon = sealed.indexOf(':');
        if (colon <= 0) {
            throw new CryptoException("sealed value is malformed");
        }
        String keyId = sealed.substring(0, colon);
        byte[] key = keyring.key(keyId);
        if (key == null) {
            throw new CryptoException("unknown key id");
        }
        byte[] data = decode(sealed.substring(colon + 1));
        if (data.length < NONCE_BYTES + TAG_BYTES) {
            throw new CryptoException("sealed value is malformed");
        }
        byte[] nonce = Arrays.copyOfRange(data, 0, NONCE_BYTES);
        AEADBlockCipher gcm = newGcm(false, key, nonce, aad);
        int inputLength = data.length - NONCE_BYTES;
        byte[] out = new byte[gcm.getOutputSize(inputLength)];
        try {
            int written = gcm.processBytes(data, NONCE_BYTES, inputLength, out, 0);
            written += gcm.doFinal(out, written);
            return new String(out, 0, written, StandardCharsets.UTF_8);
        } catch (InvalidCipherTextException e) {
            throw new CryptoException("sealed value failed authentication");
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(out, (byte) 0);
        }
    }

    private byte[] decode(String body) {
        byte[] data;
        try {
            data = decoder.decode(body);
        } catch (IllegalArgumentException e) {
            throw new CryptoException("sealed value is malformed");
        }
        // Only the canonical encoding is accepted, so each ciphertext has exactly one textual form.
        if (!encoder.encodeToString(data).equals(body)) {
            throw new CryptoException("sealed value is malformed");
        }
        return data;
    }

    private static AEADBlockCipher newGcm(boolean encrypt, byte[] key, byte[] nonce, String aad) {
        AEADBlockCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_BITS, nonce,
                aad.getBytes(StandardCharsets.UTF_8)));
        return gcm;
    }
}
