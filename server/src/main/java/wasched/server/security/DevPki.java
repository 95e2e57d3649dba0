package wasched.server.security;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development PKI for mutual TLS, made with BouncyCastle: a CA, a server certificate for localhost and a
 * client certificate, all EC P-256 signed with SHA256withECDSA.
 *
 * <p>{@link #ensure(Path, Clock)} creates the files once and afterwards only loads them. Private keys are
 * PKCS#8 PEM files with mode 0600 in a 0700 directory. Not for production use.
 */
public final class DevPki {

    private static final String CA = "ca";
    private static final String SERVER = "server";
    private static final String CLIENT = "client";
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");

    private final Path dir;
    private final Clock clock;
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;
    private final SecureRandom random = new SecureRandom();

    private DevPki(Path dir, Clock clock, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.clock = clock;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /**
     * Ensures {@code dir} holds a complete dev PKI. Without {@code ca.pem}, creates the directory (0700) and
     * writes a new CA, server and client (any stale files are replaced, {@code ca.pem} is written last). With
     * {@code ca.pem} present, loads the CA and leaves existing files alone, only issuing a server or client
     * pair whose files are missing.
     */
    public static DevPki ensure(Path dir, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        Path absolute = dir.toAbsolutePath().normalize();
        SecureFiles.ensurePrivateDirectory(absolute);
        Path caCert = absolute.resolve(CA + ".pem");
        DevPki pki;
        if (Files.exists(caCert)) {
            pki = new DevPki(absolute, clock, Pem.readCertificates(caCert).get(0),
                    Pem.readPrivateKey(absolute.resolve(CA + "-key.pem")));
        } else {
            KeyPair ca = newKeyPair();
            X509Certificate certificate = selfSignedCa("wasched dev CA", ca, clock, new SecureRandom());
            writeKey(absolute.resolve(CA + "-key.pem"), ca.getPrivate());
            pki = new DevPki(absolute, clock, certificate, ca.getPrivate());
            pki.writeServer();
            pki.writeLeaf("wasched-cli", KeyPurposeId.id_kp_clientAuth, null, pki.clientCert(), pki.clientKey());
            writeCertificate(caCert, certificate);
            return pki;
        }
        if (!Files.exists(pki.serverCert()) || !Files.exists(pki.serverKey())) {
            pki.writeServer();
        }
        if (!Files.exists(pki.clientCert()) || !Files.exists(pki.clientKey())) {
            pki.writeLeaf("wasched-cli", KeyPurposeId.id_kp_clientAuth, null, pki.clientCert(), pki.clientKey());
        }
        return pki;
    }

    /**
     * Issues a further client certificate (EKU clientAuth, 2 years) signed by this CA, writing
     * {@code <commonName>.pem} and {@code <commonName>-key.pem} (0600) into {@code outDir}, replacing any
     * previous pair of that name.
     *
     * @param commonName the certificate CN, also the file name stem ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
     */
    public ClientCredentials issueClient(String commonName, Path outDir) {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(outDir, "outDir");
        if (!FILE_NAME.matcher(commonName).matches()) {
            throw new IllegalArgumentException("common name is not usable as a file name");
        }
        Path out = outDir.toAbsolutePath().normalize();
        String stem = commonName.toLowerCase(Locale.ROOT);
        if (out.equals(dir) && (stem.equals(CA) || stem.equals(SERVER) || stem.equals(CLIENT))) {
            throw new IllegalArgumentException("common name would overwrite the dev PKI's own files");
        }
        Path cert = out.resolve(commonName + ".pem");
        Path key = out.resolve(commonName + "-key.pem");
        writeLeaf(commonName, KeyPurposeId.id_kp_clientAuth, null, cert, key);
        return new ClientCredentials(cert, key, caCert());
    }

    /**
     * Makes an unrelated throwaway CA and a client certificate from it in {@code outDir}
     * ({@code foreign-ca.pem}, {@code foreign-client.pem}, {@code foreign-client-key.pem}), for checking that
     * certificates from other CAs are refused.
     */
    public static ClientCredentials foreignClient(Path outDir, Clock clock) {
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(clock, "clock");
        Path out = outDir.toAbsolutePath().normalize();
        KeyPair ca = newKeyPair();
        X509Certificate certificate = selfSignedCa("wasched foreign CA", ca, clock, new SecureRandom());
        DevPki foreign = new DevPki(out, clock, certificate, ca.getPrivate());
        Path cert = out.resolve("foreign-client.pem");
        Path key = out.resolve("foreign-client-key.pem");
        Path caCert = out.resolve("foreign-ca.pem");
        foreign.writeLeaf("foreign-client", KeyPurposeId.id_kp_clientAuth, null, cert, key);
        writeCertificate(caCert, certificate);
        return new ClientCredentials(cert, key, caCert);
    }

    /** The CA certificate (trust anchor for both server and clients). */
    public Path caCert() {
        return dir.resolve(CA + ".pem");
    }

    /** The server certificate (CN=localhost). */
    public Path serverCert() {
        return dir.resolve(SERVER + ".pem");
    }

    /** The server's PKCS#8 private key. */
    public Path serverKey() {
        return dir.resolve(SERVER + "-key.pem");
    }

    /** The default client certificate (CN=wasched-cli). */
    public Path clientCert() {
        return dir.resolve(CLIENT + ".pem");
    }

    /** The default client's PKCS#8 private key. */
    public Path clientKey() {
        return dir.resolve(CLIENT + "-key.pem");
    }

    private void writeServer() {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        String host = localHostName();
        if (host != null) {
            names.add(new GeneralName(GeneralName.dNSName, host));
        }
        GeneralNames san = new GeneralNames(names.toArray(GeneralName[]::new));
        writeLeaf("localhost", KeyPurposeId.id_kp_serverAuth, san, serverCert(), serverKey());
    }

    private void writeLeaf(String commonName, KeyPurposeId purpose, GeneralNames san, Path cert, Path key) {
        KeyPair pair = newKeyPair();
        Instant notBefore = notBefore(clock);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(random),
                    Date.from(notBefore), Date.from(notBefore.atOffset(ZoneOffset.UTC).plusYears(2).toInstant()),
                    name(commonName), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(caCertificate));
            if (san != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, san);
            }
            writeKey(key, pair.getPrivate());
            writeCertificate(cert, sign(builder, caKey));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue certificate for " + commonName, e);
        }
    }

    private static X509Certificate selfSignedCa(String commonName, KeyPair pair, Clock clock, SecureRandom random) {
        Instant notBefore = notBefore(clock);
        X500Name subject = name(commonName);
        PublicKey publicKey = pair.getPublic();
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(notBefore), Date.from(notBefore.atOffset(ZoneOffset.UTC).plusYears(10).toInstant()),
                    subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
            return sign(builder, pair.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create CA certificate", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create signer", e);
        }
    }

    private static Instant notBefore(Clock clock) {
        return clock.instant().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).setBit(126);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available", e);
        }
    }

    private static String localHostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && HOST_NAME.matcher(host).matches() && !host.equalsIgnoreCase("localhost")) {
                return host;
            }
        } catch (IOException e) {
            // no usable host name: the certificate still covers localhost and the loopback addresses
        }
        return null;
    }

    private static void writeKey(Path file, PrivateKey key) {
        writePem(file, key);
    }

    private static void writeCertificate(Path file, X509Certificate certificate) {
        writePem(file, certificate);
    }

    private static void writePem(Path file, Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + file, e);
        }
        SecureFiles.writePrivate(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
