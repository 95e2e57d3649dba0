package wasched.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlindIndexTest {

    private static Keyring keyringWithBlindKey(int fill) {
        byte[] blind = new byte[32];
        Arrays.fill(blind, (byte) fill);
        return Keyring.of("k1", Map.of("k1", new byte[32]), blind);
    }

    @Test
    void same_purpose_and_value_give_the_same_index() {
        BlindIndex index = new BlindIndex(keyringWithBlindKey(1));
        assertThat(index.of("contact.phone", "+15551234567"))
                .isEqualTo(new BlindIndex(keyringWithBlindKey(1)).of("contact.phone", "+15551234567"))
                .hasSize(64)
                .matches("[0-9a-f]{64}");
    }

    @Test
    void different_values_give_different_indexes() {
        BlindIndex index = new BlindIndex(keyringWithBlindKey(1));
        assertThat(index.of("contact.phone", "+15551234567")).isNotEqualTo(index.of("contact.phone", "+15551234568"));
    }

    @Test
    void the_same_value_for_different_purposes_gives_different_indexes() {
        BlindIndex index = new BlindIndex(keyringWithBlindKey(1));
        assertThat(index.of("contact.phone", "+15551234567")).isNotEqualTo(index.of("user.phone", "+15551234567"));
    }

    @Test
    void a_different_blind_index_key_gives_a_different_index() {
        assertThat(new BlindIndex(keyringWithBlindKey(1)).of("contact.phone", "+15551234567"))
                .isNotEqualTo(new BlindIndex(keyringWithBlindKey(2)).of("contact.phone", "+15551234567"));
    }

    @Test
    void the_index_does_not_contain_the_value() {
        assertThat(new BlindIndex(keyringWithBlindKey(1)).of("contact.phone", "15551234567"))
                .doesNotContain("15551234567");
    }

    @Test
    void a_purpose_containing_the_separator_is_refused() {
        BlindIndex index = new BlindIndex(keyringWithBlindKey(1));
        assertThatThrownBy(() -> index.of("a|b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.of("", "c")).isInstanceOf(IllegalArgumentException.class);
    }
}
