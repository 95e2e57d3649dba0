package wasched.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenServiceTest {

    private static final Instant START = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(30);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(START);

    private Path keyFile() {
        return tmp.resolve("jwt/signing-key.json");
    }

    private TokenService service() {
        return new TokenService(keyFile(), "wasched", "wasched-api", clock);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(TokenService service, String token) {
        return assertThatThrownBy(() -> service.verify(token))
                .isInstanceOf(InvalidTokenException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank()
                        .satisfies(m -> assertThat(token.isEmpty() || !m.contains(token)).isTrue()));
    }

    private SignedJWT signedWithOurKey(JWSHeader header, JWTClaimsSet claims) throws Exception {
        ECKey key = ECKey.parse(Files.readString(keyFile()));
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt;
    }

    private static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder().issuer("wasched").audience("wasched-api").subject("alice")
                .claim("role", "ADMIN").issueTime(Date.from(START)).notBeforeTime(Date.from(START))
                .expirationTime(Date.from(START.plus(TTL))).jwtID("id-1");
    }

    @Test
    void issued_token_verifies_to_the_same_claims() throws Exception {
        TokenService service = service();
        String token = service.issueAccessToken("alice", "ADMIN", TTL);

        AccessClaims claims = service.verify(token);

        assertThat(claims.username()).isEqualTo("alice");
        assertThat(claims.role()).isEqualTo("ADMIN");
        assertThat(claims.expiresAt()).isEqualTo(START.plus(TTL));
        assertThat(claims.tokenId()).matches("[0-9a-f-]{36}");
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(service.keyId());
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        JWTClaimsSet set = jwt.getJWTClaimsSet();
        assertThat(set.getIssuer()).isEqualTo("wasched");
        assertThat(set.getAudience()).containsExactly("wasched-api");
        assertThat(set.getIssueTime()).isEqualTo(Date.from(START)).isEqualTo(set.getNotBeforeTime());
    }

    @Test
    void each_token_gets_a_fresh_token_id() {
        TokenService service = service();
        assertThat(service.verify(service.issueAccessToken("alice", "USER", TTL)).tokenId())
                .isNotEqualTo(service.verify(service.issueAccessToken("alice", "USER", TTL)).tokenId());
    }

    @Test
    void expired_token_is_rejected() {
        TokenService service = service();
        String token = service.issueAccessToken("alice", "ADMIN", TTL);
        clock.advance(Duration.ofMinutes(31));
        assertRejected(service, token).hasMessage("token expired");
    }

    @Test
    void expiry_allows_less_than_thirty_seconds_of_clock_skew() {
        TokenService service = service();
        String token = service.issueAccessToken("alice", "ADMIN", TTL);
        clock.advance(TTL.plusSeconds(29));
        assertThat(service.verify(token).username()).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(2));
        assertRejected(service, token).hasMessage("token expired");
    }

    @Test
    void token_from_the_future_beyond_the_skew_is_rejected() {
        MutableClock ahead = new MutableClock(START.plus(Duration.ofMinutes(5)));
        String token = new TokenService(keyFile(), "wasched", "wasched-api", ahead)
                .issueAccessToken("alice", "ADMIN", TTL);
        assertRejected(service(), token).hasMessageContaining("before use time");
    }

    @Test
    void token_signed_by_another_service_key_is_rejected() {
        TokenService ours = service();
        TokenService other = new TokenService(tmp.resolve("other/key.json"), "wasched", "wasched-api", clock);
        assertThat(other.keyId()).isNotEqualTo(ours.keyId());
        assertRejected(ours, other.issueAccessToken("alice", "ADMIN", TTL));
    }

    @Test
    void token_signed_by_another_key_claiming_our_key_id_fails_the_signature_check() throws Exception {
        TokenService service = service();
        ECKey impostor = new ECKeyGenerator(Curve.P_256).keyID(service.keyId()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(service.keyId())
                .type(new JOSEObjectType("at+jwt")).build(), validClaims().build());
        jwt.sign(new ECDSASigner(impostor));
        assertRejected(service, jwt.serialize()).hasMessage("invalid signature");
        SignedJWT badClaims = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(service.keyId())
                .type(new JOSEObjectType("at+jwt")).build(), validClaims().issuer("x".repeat(500)).build());
        badClaims.sign(new ECDSASigner(impostor));
        assertRejected(service, badClaims.serialize()).hasMessage("invalid signature");
    }

    @Test
    void token_with_an_edited_payload_is_rejected() {
        TokenService service = service();
        String token = service.issueAccessToken("alice", "USER", TTL);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"USER\"", "\"ADMIN\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRejected(service, forged).hasMessage("invalid signature");
    }

    @Test
    void unsigned_alg_none_token_is_rejected() {
        TokenService service = service();
        String valid = service.issueAccessToken("alice", "ADMIN", TTL);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + service.keyId() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String token = header + "." + valid.split("\\.")[1] + ".";
        assertRejected(service, token);
        assertRejected(service, b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + valid.split("\\.")[1] + ".");
    }

    @Test
    void hs256_token_is_rejected_even_with_our_key_id() throws Exception {
        TokenService service = service();
        JWSSigner hmac = new MACSigner("a shared secret that is at least 256 bits long!!".getBytes(StandardCharsets.UTF_8));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(service.keyId())
                .type(new JOSEObjectType("at+jwt")).build(), validClaims().build());
        jwt.sign(hmac);
        assertRejected(service, jwt.serialize()).hasMessage("unexpected signing algorithm");
    }

    @Test
    void token_for_another_audience_is_rejected() {
        String token = new TokenService(keyFile(), "wasched", "someone-else", clock)
                .issueAccessToken("alice", "ADMIN", TTL);
        assertRejected(service(), token).hasMessageContaining("aud claim rejected");
    }

    @Test
    void token_from_another_issuer_is_rejected() {
        String token = new TokenService(keyFile(), "evil", "wasched-api", clock)
                .issueAccessToken("alice", "ADMIN", TTL);
        assertRejected(service(), token).hasMessageContaining("iss claim");
    }

    @Test
    void token_with_the_wrong_type_is_rejected() throws Exception {
        TokenService service = service();
        SignedJWT jwt = signedWithOurKey(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(service.keyId())
                .type(JOSEObjectType.JWT).build(), validClaims().build());
        assertRejected(service, jwt.serialize()).hasMessage("wrong token type");
    }

    @Test
    void token_without_a_role_is_rejected() throws Exception {
        TokenService service = service();
        SignedJWT jwt = signedWithOurKey(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(service.keyId())
                .type(new JOSEObjectType("at+jwt")).build(), validClaims().claim("role", null).build());
        assertRejected(service, jwt.serialize()).hasMessageContaining("[role]");
    }

    @Test
    void token_signed_with_our_key_and_valid_claims_is_accepted() throws Exception {
        TokenService service = service();
        SignedJWT jwt = signedWithOurKey(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(service.keyId())
                .type(new JOSEObjectType("at+jwt")).build(), validClaims().build());
        assertThat(service.verify(jwt.serialize()).tokenId()).isEqualTo("id-1");
    }

    @Test
    void malformed_tokens_are_rejected() {
        TokenService service = service();
        for (String token : new String[] {"", "abc", "a.b.c", "a.b", "x".repeat(10_000)}) {
            assertRejected(service, token);
        }
        assertThatThrownBy(() -> service.verify(null)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void key_file_is_owner_only_and_reloading_gives_the_same_key() throws Exception {
        TokenService first = service();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile().getParent())))
                .isEqualTo("rwx------");
        String token = first.issueAccessToken("alice", "ADMIN", TTL);

        TokenService reloaded = service();

        assertThat(reloaded.keyId()).isEqualTo(first.keyId()).isNotBlank();
        assertThat(reloaded.verify(token).username()).isEqualTo("alice");
        assertThat(ECKey.parse(Files.readString(keyFile())).isPrivate()).isTrue();
    }
}
