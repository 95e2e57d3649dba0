package wasched.server.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

    @TempDir
    Path tmp;

    @Test
    void created_keyring_file_is_owner_only_in_an_owner_only_directory() throws Exception {
        Path file = tmp.resolve("secrets/keyring.json");
        Keyring.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file);
        }
    }

    @Test
    void created_keyring_has_one_active_key_k1_and_a_blind_index_key() throws Exception {
        Path file = tmp.resolve("keyring.json");
        Keyring keyring = Keyring.loadOrCreate(file);
        assertThat(keyring.activeKeyId()).isEqualTo("k1");
        assertThat(keyring.keyIds()).containsExactly("k1");
        assertThat(keyring.key("k1")).hasSize(32);
        assertThat(keyring.blindIndexKey()).hasSize(32).isNotEqualTo(keyring.key("k1"));
        String json = Files.readString(file);
        assertThat(json).contains("\"active\"", "\"keys\"", "\"blindIndexKey\"");
    }

    @Test
    void reloading_gives_the_same_keys() {
        Path file = tmp.resolve("keyring.json");
        Keyring created = Keyring.loadOrCreate(file);
        Keyring reloaded = Keyring.loadOrCreate(file);
        assertThat(reloaded.activeKeyId()).isEqualTo(created.activeKeyId());
        assertThat(reloaded.keyIds()).isEqualTo(created.keyIds());
        assertThat(reloaded.key("k1")).isEqualTo(created.key("k1"));
        assertThat(reloaded.blindIndexKey()).isEqualTo(created.blindIndexKey());
    }

    @Test
    void rotation_keeps_the_file_owner_only_and_persists_the_new_active_key() throws Exception {
        Path file = tmp.resolve("keyring.json");
        Keyring keyring = Keyring.loadOrCreate(file);
        byte[] firstKey = keyring.key("k1");
        keyring.rotate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Keyring reloaded = Keyring.loadOrCreate(file);
        assertThat(reloaded.activeKeyId()).isEqualTo("k2");
        assertThat(reloaded.keyIds()).containsExactly("k1", "k2");
        assertThat(reloaded.key("k1")).isEqualTo(firstKey);
        assertThat(reloaded.key("k2")).isEqualTo(keyring.key("k2")).isNotEqualTo(firstKey);
    }

    @Test
    void a_malformed_keyring_file_is_refused() throws Exception {
        Path file = tmp.resolve("keyring.json");
        Files.writeString(file, "{\"active\":\"k2\",\"keys\":{\"k1\":\"AAAA\"},\"blindIndexKey\":\"AAAA\"}");
        assertThatThrownBy(() -> Keyring.loadOrCreate(file)).isInstanceOf(CryptoException.class);
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> Keyring.loadOrCreate(file)).isInstanceOf(CryptoException.class);
    }

    @Test
    void keys_of_the_wrong_length_are_refused() {
        assertThatThrownBy(() -> Keyring.of("k1", Map.of("k1", new byte[16]), new byte[32]))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> Keyring.of("k1", Map.of("k1", new byte[32]), new byte[8]))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void key_ids_with_a_colon_are_refused() {
        assertThatThrownBy(() -> Keyring.of("a:b", Map.of("a:b", new byte[32]), new byte[32]))
                .isInstanceOf(CryptoException.class);
    }
}
