package wasched.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(2);

    @Test
    void hash_is_a_phc_string_with_the_current_parameters() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        String[] parts = hash.split("\\$");
        assertThat(parts).hasSize(6);
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
        assertThat(parts[4] + parts[5]).doesNotContain("=");
        assertThat(hash).doesNotContain("correct");
    }

    @Test
    void the_right_password_verifies_and_a_wrong_one_does_not() {
        String hash = hasher.hash("correct horse".toCharArray());
        assertThat(hasher.verify("correct horse".toCharArray(), hash)).isTrue();
        assertThat(hasher.verify("correct horsf".toCharArray(), hash)).isFalse();
        assertThat(hasher.verify(new char[0], hash)).isFalse();
    }

    @Test
    void hashing_the_same_password_twice_uses_different_salts() {
        assertThat(hasher.hash("pw".toCharArray())).isNotEqualTo(hasher.hash("pw".toCharArray()));
    }

    @Test
    void hashes_made_with_other_parameters_still_verify() {
        byte[] salt = "sixteen byte slt".getBytes(StandardCharsets.US_ASCII);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(8192).withIterations(3).withParallelism(2).withSalt(salt).build());
        byte[] output = new byte[24];
        generator.generateBytes("old password".toCharArray(), output);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String older = "$argon2id$v=19$m=8192,t=3,p=2$" + b64.encodeToString(salt) + "$" + b64.encodeToString(output);

        assertThat(hasher.verify("old password".toCharArray(), older)).isTrue();
        assertThat(hasher.verify("old passwore".toCharArray(), older)).isFalse();
        String relabelled = older.replace("t=3", "t=2");
        assertThat(hasher.verify("old password".toCharArray(), relabelled)).isFalse();
    }

    @Test
    void garbage_or_out_of_bounds_stored_values_give_false_without_throwing() {
        String good = hasher.hash("pw".toCharArray());
        String[] parts = good.split("\\$");
        String[] bad = {
            null, "", "garbage", "$argon2id$", "$argon2i$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
            "$argon2id$v=16$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5],
            "$argon2id$v=19$m=99999999,t=2,p=1$" + parts[4] + "$" + parts[5],
            "$argon2id$v=19$m=19456,t=0,p=1$" + parts[4] + "$" + parts[5],
            "$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5] + "A",
            "$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$" + parts[5] + "$",
            "$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!$" + parts[5],
            good.replace('$', '#'),
        };
        for (String stored : bad) {
            assertThat(hasher.verify("pw".toCharArray(), stored)).as(String.valueOf(stored)).isFalse();
        }
        assertThat(hasher.verify(null, good)).isFalse();
    }

    @Test
    void dummy_hash_is_a_valid_hash_that_no_ordinary_password_matches() {
        String dummy = hasher.dummyHash();
        assertThat(dummy).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.dummyHash()).isEqualTo(dummy);
        assertThat(hasher.verify("password".toCharArray(), dummy)).isFalse();
    }
}
