package wasched.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevPkiTest {
    /** The PKCS#8 PEM header, built so this source file never looks like a committed key. */
    private static final String PKCS8_HEADER = "-----BEGIN " + "PRIVATE KEY-----";


    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path tmp;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static X509Certificate cert(Path p) {
        return Pem.readCertificates(p).get(0);
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void assertKeyMatches(PrivateKey key, X509Certificate cert) throws Exception {
        byte[] data = "proof of possession".getBytes();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void ensure_writes_all_files_with_private_keys_owner_only() throws Exception {
        Path dir = tmp.resolve("pki");
        DevPki pki = DevPki.ensure(dir, clock);
        for (String name : List.of("ca.pem", "ca-key.pem", "server.pem", "server-key.pem", "client.pem",
                "client-key.pem")) {
            assertThat(dir.resolve(name)).exists();
        }
        assertThat(perms(dir)).isEqualTo("rwx------");
        for (Path key : List.of(dir.resolve("ca-key.pem"), pki.serverKey(), pki.clientKey())) {
            assertThat(perms(key)).isEqualTo("rw-------");
            assertThat(Files.readString(key)).startsWith(PKCS8_HEADER);
            assertThat(Pem.readPrivateKey(key).getAlgorithm()).isEqualTo("EC");
        }
        assertThat(pki.caCert()).isEqualTo(dir.toAbsolutePath().resolve("ca.pem"));
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(6);
        }
    }

    @Test
    void ca_is_a_self_signed_ten_year_certificate_authority() throws Exception {
        DevPki pki = DevPki.ensure(tmp.resolve("pki"), clock);
        X509Certificate ca = cert(pki.caCert());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=wasched dev CA");
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(signedBy(ca, ca)).isTrue();
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(Instant.parse("2035-03-01T11:00:00Z"));
        ca.checkValidity(java.util.Date.from(NOW));
    }

    @Test
    void server_certificate_chains_to_the_ca_and_names_localhost() throws Exception {
        DevPki pki = DevPki.ensure(tmp.resolve("pki"), clock);
        X509Certificate ca = cert(pki.caCert());
        X509Certificate server = cert(pki.serverCert());

        assertThat(signedBy(server, ca)).isTrue();
        assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(server.getNotAfter().toInstant()).isEqualTo(Instant.parse("2027-03-01T11:00:00Z"));
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = server.getSubjectAlternativeNames();
        for (List<?> san : sans) {
            names.add(san.get(0) + ":" + san.get(1));
        }
        assertThat(names).contains("2:localhost", "7:127.0.0.1").anyMatch(n -> n.startsWith("7:0:0:0:0:0:0:0:1"));
        assertKeyMatches(Pem.readPrivateKey(pki.serverKey()), server);
    }

    @Test
    void client_certificate_chains_to_the_ca_for_client_auth() throws Exception {
        DevPki pki = DevPki.ensure(tmp.resolve("pki"), clock);
        X509Certificate client = cert(pki.clientCert());
        assertThat(signedBy(client, cert(pki.caCert()))).isTrue();
        assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=wasched-cli");
        assertThat(client.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertKeyMatches(Pem.readPrivateKey(pki.clientKey()), client);
    }

    @Test
    void calling_ensure_again_does_not_rewrite_anything() throws Exception {
        Path dir = tmp.resolve("pki");
        DevPki first = DevPki.ensure(dir, clock);
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        List<byte[]> before = new ArrayList<>();
        for (Path f : files) {
            before.add(Files.readAllBytes(f));
            Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }

        DevPki second = DevPki.ensure(dir, Clock.fixed(NOW.plus(Duration.ofDays(3)), ZoneOffset.UTC));

        for (int i = 0; i < files.size(); i++) {
            assertThat(Files.readAllBytes(files.get(i))).isEqualTo(before.get(i));
            assertThat(Files.getLastModifiedTime(files.get(i)).toInstant())
                    .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        }
        assertThat(second.serverCert()).isEqualTo(first.serverCert());
    }

    @Test
    void a_missing_client_pair_is_reissued_from_the_existing_ca() throws Exception {
        Path dir = tmp.resolve("pki");
        DevPki pki = DevPki.ensure(dir, clock);
        byte[] ca = Files.readAllBytes(pki.caCert());
        Files.delete(pki.clientCert());
        DevPki.ensure(dir, clock);
        assertThat(Files.readAllBytes(pki.caCert())).isEqualTo(ca);
        assertThat(signedBy(cert(pki.clientCert()), cert(pki.caCert()))).isTrue();
        assertKeyMatches(Pem.readPrivateKey(pki.clientKey()), cert(pki.clientCert()));
    }

    @Test
    void issued_client_certificate_verifies_against_the_ca() throws Exception {
        DevPki pki = DevPki.ensure(tmp.resolve("pki"), clock);
        Path out = tmp.resolve("clients");
        ClientCredentials creds = pki.issueClient("dispatcher", out);

        assertThat(creds.cert()).isEqualTo(out.toAbsolutePath().resolve("dispatcher.pem"));
        assertThat(creds.key()).isEqualTo(out.toAbsolutePath().resolve("dispatcher-key.pem"));
        assertThat(creds.ca()).isEqualTo(pki.caCert());
        assertThat(perms(creds.key())).isEqualTo("rw-------");
        X509Certificate cert = cert(creds.cert());
        assertThat(signedBy(cert, cert(pki.caCert()))).isTrue();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=dispatcher");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertKeyMatches(Pem.readPrivateKey(creds.key()), cert);
    }

    @Test
    void issue_client_refuses_names_that_would_clobber_pki_files_or_escape_the_directory() {
        Path dir = tmp.resolve("pki");
        DevPki pki = DevPki.ensure(dir, clock);
        assertThatThrownBy(() -> pki.issueClient("ca", dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pki.issueClient("../evil", dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pki.issueClient("a/b", dir)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foreign_client_does_not_verify_against_our_ca() throws Exception {
        DevPki pki = DevPki.ensure(tmp.resolve("pki"), clock);
        ClientCredentials foreign = DevPki.foreignClient(tmp.resolve("foreign"), clock);

        X509Certificate foreignCert = cert(foreign.cert());
        assertThat(signedBy(foreignCert, cert(pki.caCert()))).isFalse();
        assertThat(signedBy(foreignCert, cert(foreign.ca()))).isTrue();
        assertThat(foreignCert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(perms(foreign.key())).isEqualTo("rw-------");
        assertKeyMatches(Pem.readPrivateKey(foreign.key()), foreignCert);
    }

    @Test
    void pem_reading_fails_cleanly_on_files_without_the_expected_object() throws Exception {
        Path junk = tmp.resolve("junk.pem");
        Files.writeString(junk, "not a pem file\n");
        assertThatThrownBy(() -> Pem.readPrivateKey(junk)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pem.readCertificates(junk)).isInstanceOf(IllegalArgumentException.class);
    }
}
