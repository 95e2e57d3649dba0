package wasched.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldCipherTest {

    private static final String AAD = FieldCipher.aad("message", "body", 42L);

    @TempDir
    Path tmp;

    private static Keyring keyring(String... ids) {
        LinkedHashMap<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            byte[] key = new byte[32];
            Arrays.fill(key, (byte) (i + 1));
            keys.put(ids[i], key);
        }
        return Keyring.of(ids[0], keys, new byte[32]);
    }

    @Test
    void sealed_value_opens_to_the_original_plaintext() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("Hello, wörld ✓", AAD);
        assertThat(cipher.open(sealed, AAD)).isEqualTo("Hello, wörld ✓");
    }

    @Test
    void empty_plaintext_round_trips() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        assertThat(cipher.open(cipher.seal("", AAD), AAD)).isEmpty();
    }

    @Test
    void sealed_value_has_the_key_id_prefix_and_unpadded_base64url_body() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("abc", AAD);
        assertThat(sealed).startsWith("k1:");
        byte[] body = Base64.getUrlDecoder().decode(sealed.substring(3));
        assertThat(body).hasSize(12 + 3 + 16);
        assertThat(sealed).doesNotContain("=");
    }

    @Test
    void sealing_the_same_plaintext_twice_gives_different_values() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        assertThat(cipher.seal("same", AAD)).isNotEqualTo(cipher.seal("same", AAD));
    }

    @Test
    void opening_with_a_different_aad_fails() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("secret", AAD);
        assertThatThrownBy(() -> cipher.open(sealed, FieldCipher.aad("message", "body", 43L)))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void opening_a_value_with_any_flipped_byte_fails() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("secret", AAD);
        byte[] body = Base64.getUrlDecoder().decode(sealed.substring(3));
        for (int i = 0; i < body.length; i++) {
            byte[] tampered = body.clone();
            tampered[i] ^= 0x01;
            String forged = "k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> cipher.open(forged, AAD)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void truncated_or_malformed_values_fail_cleanly() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("secret", AAD);
        for (String bad : new String[] {"", "k1", "k1:", ":abc", "k1:!!!", "k1:AAAA", sealed.substring(0, 20),
                sealed + "A"}) {
            assertThatThrownBy(() -> cipher.open(bad, AAD)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void a_non_canonical_encoding_of_a_valid_value_is_refused() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("abc", AAD); // 31 bytes: the last character carries 4 unused bits
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(sealed.charAt(sealed.length() - 1));
        String variant = sealed.substring(0, sealed.length() - 1) + alphabet.charAt(last | 1);
        assertThat(Base64.getUrlDecoder().decode(variant.substring(3)))
                .isEqualTo(Base64.getUrlDecoder().decode(sealed.substring(3)));
        assertThatThrownBy(() -> cipher.open(variant, AAD)).isInstanceOf(CryptoException.class);
    }

    @Test
    void sealed_text_does_not_contain_the_plaintext() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String plaintext = "+15551234567 meet at noon";
        String sealed = cipher.seal(plaintext, AAD);
        assertThat(sealed).doesNotContain(plaintext).doesNotContain("15551234567").doesNotContain("noon");
    }

    @Test
    void unknown_key_id_fails_with_a_crypto_exception() {
        FieldCipher cipher = new FieldCipher(keyring("k1"));
        String sealed = cipher.seal("secret", AAD);
        assertThatThrownBy(() -> cipher.open("k9" + sealed.substring(2), AAD))
                .isInstanceOf(CryptoException.class)
                .hasMessage("unknown key id");
    }

    @Test
    void a_value_sealed_under_another_key_with_the_same_id_fails() {
        String sealed = new FieldCipher(keyring("k1")).seal("secret", AAD);
        Keyring other = Keyring.of("k1", Map.of("k1", new byte[32]), new byte[32]);
        assertThatThrownBy(() -> new FieldCipher(other).open(sealed, AAD)).isInstanceOf(CryptoException.class);
    }

    @Test
    void after_rotation_old_values_still_open_and_new_values_use_the_new_key() {
        Path file = tmp.resolve("keys/keyring.json");
        Keyring keyring = Keyring.loadOrCreate(file);
        FieldCipher cipher = new FieldCipher(keyring);
        String old = cipher.seal("before rotation", AAD);

        String newId = keyring.rotate(file);

        assertThat(newId).isEqualTo("k2");
        assertThat(keyring.activeKeyId()).isEqualTo("k2");
        String fresh = cipher.seal("after rotation", AAD);
        assertThat(old).startsWith("k1:");
        assertThat(fresh).startsWith("k2:");
        assertThat(cipher.open(old, AAD)).isEqualTo("before rotation");
        assertThat(cipher.open(fresh, AAD)).isEqualTo("after rotation");

        FieldCipher reloaded = new FieldCipher(Keyring.loadOrCreate(file));
        assertThat(reloaded.open(old, AAD)).isEqualTo("before rotation");
        assertThat(reloaded.open(fresh, AAD)).isEqualTo("after rotation");
        assertThat(keyring.rotate(file)).isEqualTo("k3");
    }

    @Test
    void aad_joins_table_column_and_row_id_with_bars() {
        assertThat(FieldCipher.aad("contact", "phone", 7)).isEqualTo("contact|phone|7");
    }
}
