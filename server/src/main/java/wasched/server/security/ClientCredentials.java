package wasched.server.security;

import java.nio.file.Path;

/**
 * Files making up a TLS client identity.
 *
 * @param cert the client certificate (PEM)
 * @param key the client's PKCS#8 private key (PEM, mode 0600)
 * @param ca the certificate of the CA that signed {@code cert} (PEM)
 */
public record ClientCredentials(Path cert, Path key, Path ca) {
}
