package wasched.server.security;

/**
 * Raised when an access token is rejected. The message is a short reason that is safe to log; it never
 * contains the token.
 */
public class InvalidTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a short, token-free reason. */
    public InvalidTokenException(String reason) {
        super(reason);
    }
}
