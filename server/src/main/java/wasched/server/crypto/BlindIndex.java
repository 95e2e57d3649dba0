package wasched.server.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;

/**
 * Keyed blind index for equality lookups on encrypted columns: the lowercase hex HMAC-SHA256, under the
 * keyring's blind-index key, of {@code purpose + "|" + value} (UTF-8).
 *
 * <p>The purpose (for example {@code "recipient.phone"}) separates domains so equal values in different
 * columns get unrelated indexes. Callers should normalise values (e.g. to E.164) before indexing, since the
 * index only matches byte-identical input. Instances are thread-safe.
 */
public final class BlindIndex {

    private final Keyring keyring;

    /** Creates a blind index over the given keyring's blind-index key. */
    public BlindIndex(Keyring keyring) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    /**
     * Computes the index of {@code value} for {@code purpose}.
     *
     * @param purpose a constant naming what is indexed; must not contain {@code '|'}
     * @return 64 lowercase hex characters
     */
    public String of(String purpose, String value) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(value, "value");
        if (purpose.isEmpty() || purpose.indexOf('|') >= 0) {
            throw new IllegalArgumentException("purpose must be non-empty and must not contain '|'");
        }
        byte[] key = keyring.blindIndexKey();
        byte[] input = (purpose + "|" + value).getBytes(StandardCharsets.UTF_8);
        try {
            HMac mac = new HMac(new SHA256Digest());
            mac.init(new KeyParameter(key));
            mac.update(input, 0, input.length);
            byte[] out = new byte[mac.getMacSize()];
            mac.doFinal(out, 0);
            return Hex.toHexString(out);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(input, (byte) 0);
        }
    }
}
