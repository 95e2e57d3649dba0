package wasched.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Error bodies and HTTP statuses in the shape the Graph API uses for the Cloud API. */
final class CloudApiErrors {

    static final int INVALID_PARAMETER = 100;
    static final int INVALID_TOKEN = 190;
    static final int RATE_LIMIT_HIT = 130429;
    static final int SOMETHING_WENT_WRONG = 131000;
    static final int UNDELIVERABLE = 131026;
    static final int RE_ENGAGEMENT = 131047;
    static final int SPAM_RATE_LIMIT = 131048;
    static final int PAIR_RATE_LIMIT = 131056;

    /** An error response ready to be written. */
    record ApiError(int httpStatus, byte[] json) {
    }

    private CloudApiErrors() {
    }

    /** HTTP status the Cloud API pairs with an error code. */
    static int httpStatusFor(int code) {
        return switch (code) {
            case INVALID_TOKEN -> 401;
            case SOMETHING_WENT_WRONG -> 500;
            default -> 400;
        };
    }

    /** The human-readable title Meta uses for an error code. */
    static String titleFor(int code) {
        return switch (code) {
            case INVALID_PARAMETER -> "Invalid parameter";
            case RATE_LIMIT_HIT -> "Rate limit hit";
            case SOMETHING_WENT_WRONG -> "Something went wrong";
            case UNDELIVERABLE -> "Message undeliverable";
            case RE_ENGAGEMENT -> "Re-engagement message";
            case SPAM_RATE_LIMIT -> "Spam rate limit hit";
            case PAIR_RATE_LIMIT -> "(Business Account, Consumer Account) pair rate limit hit";
            default -> "Simulated error";
        };
    }

    /** The {@code error_data.details} text Meta uses for an error code. */
    static String detailsFor(int code) {
        return switch (code) {
            case INVALID_PARAMETER -> "Invalid parameter";
            case RATE_LIMIT_HIT -> "Cloud API message throughput has been reached.";
            case SOMETHING_WENT_WRONG -> "Message failed to send due to an unknown error.";
            case UNDELIVERABLE -> "Message Undeliverable.";
            case RE_ENGAGEMENT -> "Message failed to send because more than 24 hours have passed since the customer "
                    + "last replied to this number.";
            case SPAM_RATE_LIMIT -> "Message failed to send because there are restrictions on how many messages can "
                    + "be sent from this phone number.";
            case PAIR_RATE_LIMIT -> "Too many messages sent from the sender phone number to the same recipient phone "
                    + "number in a short period of time.";
            default -> "The simulator was told to fail this request with error code " + code + ".";
        };
    }

    /** Error for a code with Meta's standard title and details. */
    static ApiError of(ObjectMapper mapper, int code) {
        return of(mapper, code, "(#" + code + ") " + titleFor(code), detailsFor(code));
    }

    /** Error with the given message and details, typed as Meta types Cloud API errors. */
    static ApiError of(ObjectMapper mapper, int code, String message, String details) {
        return build(mapper, httpStatusFor(code), "OAuthException", code, message, details);
    }

    /** The 401 answer for a missing or wrong bearer token. */
    static ApiError invalidToken(ObjectMapper mapper) {
        return build(mapper, 401, "OAuthException", INVALID_TOKEN,
                "Invalid OAuth access token - Cannot parse access token", null);
    }

    /** The answer Graph gives when the node in the path is not a phone number the token may use. */
    static ApiError unknownPhoneNumberId(ObjectMapper mapper, String id) {
        return build(mapper, 400, "GraphMethodException", INVALID_PARAMETER,
                "Unsupported post request. Object with ID '" + id + "' does not exist, cannot be loaded due to "
                        + "missing permissions, or does not support this operation.", null);
    }

    /** The answer for a path that is not a Graph API messages edge. */
    static ApiError unknownPath(ObjectMapper mapper) {
        return build(mapper, 400, "OAuthException", 2500, "Unknown path components", null);
    }

    private static ApiError build(ObjectMapper mapper, int httpStatus, String type, int code, String message,
                                  String details) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        if (details != null) {
            ObjectNode data = error.putObject("error_data");
            data.put("messaging_product", "whatsapp");
            data.put("details", details);
        }
        error.put("fbtrace_id", randomToken(9));
        try {
            return new ApiError(httpStatus, mapper.writeValueAsBytes(root));
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise error body", e);
        }
    }

    /** Random URL-safe token of about {@code 4/3 * bytes} characters. */
    static String randomToken(int bytes) {
        byte[] raw = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
