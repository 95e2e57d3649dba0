package wasched.server.recipient;

import java.util.regex.Pattern;
import wasched.server.DomainException;

/** Validates client idempotency keys (request_id): optional, up to 64 printable ASCII characters. */
public final class RequestIds {
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {}

    /** Returns the key, or null when none was given. */
    public static String validate(String requestId) {
        if (requestId == null || requestId.isEmpty()) {
            return null;
        }
        if (!ALLOWED.matcher(requestId).matches()) {
            throw new DomainException.InvalidArgument("request_id",
                    "must be 1-64 characters: letters, digits, '.', '_', ':' or '-'");
        }
        return requestId;
    }
}
