package wasched.server.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies ES256 access tokens ({@code typ: at+jwt}) with Nimbus JOSE+JWT.
 *
 * <p>The signing key is an EC P-256 private JWK kept in a file readable by the owner only; it is generated on
 * first use. Verification pins the algorithm to ES256, requires our key id, token type, issuer and audience,
 * and checks {@code exp}/{@code nbf} against the injected clock with at most 30 seconds of skew. Instances are
 * thread-safe.
 */
public final class TokenService {

    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    private static final int MAX_CLOCK_SKEW_SECONDS = 30;
    private static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final String ROLE_CLAIM = "role";

    private final ECKey signingKey;
    private final ECDSASigner signer;
    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    /**
     * Creates the service, loading the signing key from {@code keyFile} or creating it there (mode 0600,
     * missing parent directories 0700) with a fresh P-256 key and a random short key id.
     */
    public TokenService(Path keyFile, String issuer, String audience, Clock clock) {
        Objects.requireNonNull(keyFile, "keyFile");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signingKey = loadOrCreateKey(keyFile);
        try {
            this.signer = new ECDSASigner(signingKey);
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable token signing key", e);
        }
        this.processor = newProcessor(signingKey.toPublicJWK(), issuer, audience, clock);
    }

    /** The key id ({@code kid}) of the signing key. */
    public String keyId() {
        return signingKey.getKeyID();
    }

    /**
     * Issues a signed access token for {@code username} with {@code role}, valid from now for {@code ttl}.
     * Claims: iss, aud, sub, role, iat, nbf = iat, exp = iat + ttl, jti = random UUID.
     */
    public String issueAccessToken(String username, String role, Duration ttl) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(username)
                .claim(ROLE_CLAIM, role)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(signingKey.getKeyID())
                .type(ACCESS_TOKEN_TYPE)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign access token", e);
        }
        return jwt.serialize();
    }

    /**
     * Verifies an access token and returns its claims.
     *
     * @throws InvalidTokenException with a short reason (never containing the token) if it is rejected
     */
    public AccessClaims verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("malformed token");
        }
        SignedJWT jwt;
        try {
            // Parsing as a JWS refuses unsecured ("alg":"none") tokens and encrypted ones.
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("unexpected signing algorithm");
        }
        if (!signingKey.getKeyID().equals(header.getKeyID())) {
            throw new InvalidTokenException("unknown key id");
        }
        if (!ACCESS_TOKEN_TYPE.equals(header.getType())) {
            throw new InvalidTokenException("wrong token type");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw new InvalidTokenException("token expired");
        } catch (BadJWSException e) {
            throw new InvalidTokenException("invalid signature");
        } catch (BadJWTException e) {
            // Claims are only checked after the signature verified, so the message describes our own claims.
            throw new InvalidTokenException(shorten("claims rejected: " + e.getMessage()));
        } catch (BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("token rejected");
        }
        try {
            String role = claims.getStringClaim(ROLE_CLAIM);
            String subject = claims.getSubject();
            if (subject == null || subject.isBlank() || role == null || role.isBlank()) {
                throw new InvalidTokenException("missing subject or role");
            }
            return new AccessClaims(subject, role, claims.getJWTID(), claims.getExpirationTime().toInstant());
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed role claim");
        }
    }

    private static DefaultJWTProcessor<SecurityContext> newProcessor(JWK publicKey, String issuer,
                                                                     String audience, Clock clock) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(ACCESS_TOKEN_TYPE));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(new JWKSet(publicKey))));
        DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier = new DefaultJWTClaimsVerifier<>(
                Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub", ROLE_CLAIM, "iat", "nbf", "exp", "jti"),
                Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claimsVerifier.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claimsVerifier);
        return processor;
    }

    private static ECKey loadOrCreateKey(Path keyFile) {
        if (Files.exists(keyFile)) {
            try {
                JWK jwk = JWK.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
                if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate()
                        || ec.getKeyID() == null || ec.getKeyID().isBlank()) {
                    throw new IllegalStateException("token key file must hold a P-256 private JWK with a kid");
                }
                return ec;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read token key file " + keyFile, e);
            } catch (ParseException e) {
                throw new IllegalStateException("token key file is not a valid JWK: " + keyFile);
            }
        }
        byte[] id = new byte[9];
        new SecureRandom().nextBytes(id);
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyID(Base64.getUrlEncoder().withoutPadding().encodeToString(id))
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .generate();
            SecureFiles.writePrivate(keyFile, key.toJSONString().getBytes(StandardCharsets.UTF_8));
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate token signing key", e);
        }
    }

    private static String shorten(String reason) {
        String clean = reason.replaceAll("[\\p{Cntrl}]", " ");
        return clean.length() <= 120 ? clean : clean.substring(0, 120);
    }
}
