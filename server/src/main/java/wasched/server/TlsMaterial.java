package wasched.server;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import wasched.server.config.Settings;
import wasched.server.security.DevPki;
import wasched.server.security.Pem;

/**
 * The server's certificate, key and the CA its clients' certificates must chain to: configured PEM
 * files, or else the development PKI in the state directory (made on first start).
 */
public record TlsMaterial(Path certChain, Path privateKey, Path clientCa) {
    static final List<String> TLS13_ONLY = List.of("TLSv1.3");

    public static TlsMaterial resolve(Settings settings, Clock clock) {
        Settings.Tls t = settings.tls();
        if (t.certChain().isPresent() || t.privateKey().isPresent() || t.clientCa().isPresent()) {
            if (t.certChain().isEmpty() || t.privateKey().isEmpty() || t.clientCa().isEmpty()) {
                throw new IllegalArgumentException(
                        "set all of WASCHED_TLS_CERT_FILE, WASCHED_TLS_KEY_FILE and WASCHED_TLS_CLIENT_CA_FILE, or none");
            }
            return new TlsMaterial(t.certChain().get(), t.privateKey().get(), t.clientCa().get());
        }
        DevPki pki = DevPki.ensure(settings.devCertDir(), clock);
        return new TlsMaterial(pki.serverCert(), pki.serverKey(), pki.caCert());
    }

    /** TLS 1.3 only, with the client certificate required (the gRPC listener). */
    Tls mutual() {
        return build(TlsClientAuth.REQUIRED);
    }

    /** TLS 1.3 only, server authentication only (the webhook listener; the provider has no client cert). */
    Tls serverOnly() {
        return build(TlsClientAuth.NONE);
    }

    private Tls build(TlsClientAuth auth) {
        PrivateKey key = Pem.readPrivateKey(privateKey);
        List<X509Certificate> chain = Pem.readCertificates(certChain);
        List<X509Certificate> trust = Pem.readCertificates(clientCa);
        return Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .trust(trust)
                .clientAuth(auth)
                .enabledProtocols(TLS13_ONLY)
                .build();
    }

    /** An SSLContext trusting only the client CA (used by the built-in simulator to call our webhook). */
    SSLContext trustingClientCa() {
        try {
            var store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : Pem.readCertificates(clientCa)) {
                store.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build trust for " + clientCa, e);
        }
    }
}
