package wasched.server.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads PEM files into JDK objects with BouncyCastle's {@link PEMParser}. Private keys may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or traditional unencrypted key pairs; encrypted keys are not supported.
 */
public final class Pem {

    private Pem() {
    }

    /**
     * Reads the first private key in {@code p}.
     *
     * @throws IllegalArgumentException if the file holds no readable unencrypted private key
     */
    public static PrivateKey readPrivateKey(Path p) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(p, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read private key " + p, e);
        }
        throw new IllegalArgumentException("no unencrypted private key in " + p);
    }

    /**
     * Reads all certificates in {@code p}, in file order; other PEM objects are skipped.
     *
     * @throws IllegalArgumentException if the file holds no certificate
     */
    public static List<X509Certificate> readCertificates(Path p) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(p, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificates " + p, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("invalid certificate in " + p, e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + p);
        }
        return List.copyOf(certificates);
    }
}
