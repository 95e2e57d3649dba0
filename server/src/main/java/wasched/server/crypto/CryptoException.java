package wasched.server.crypto;

/**
 * Raised when sealed data cannot be opened (tampering, wrong associated data, unknown key id) or when key
 * material is unusable. Messages are short and never contain plaintext, ciphertext or key bytes.
 */
public class CryptoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a short reason. */
    public CryptoException(String message) {
        super(message);
    }

    /** Creates an exception with a short reason and the underlying cause. */
    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
