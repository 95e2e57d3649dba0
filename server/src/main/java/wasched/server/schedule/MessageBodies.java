package wasched.server.schedule;

import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import wasched.server.DomainException;

/**
 * Validates message bodies: 1-4096 characters (the Cloud API's limit for a text body), no script
 * tags, and HTML only from a small allowlist (checked with jsoup's Safelist, not by hand).
 */
public final class MessageBodies {
    public static final int MAX_CHARACTERS = 4096;
    private static final Pattern SCRIPT = Pattern.compile("<\\s*/?\\s*script", Pattern.CASE_INSENSITIVE);
    private static final Safelist ALLOWED = Safelist.none().addTags("b", "i", "u", "em", "strong", "br");

    private MessageBodies() {}

    public static String validate(String body, String field) {
        if (body == null || body.isBlank()) {
            throw new DomainException.InvalidArgument(field, "required");
        }
        int length = body.codePointCount(0, body.length());
        if (length > MAX_CHARACTERS) {
            throw new DomainException.InvalidArgument(field,
                    "must be at most " + MAX_CHARACTERS + " characters (got " + length + ")");
        }
        if (SCRIPT.matcher(body).find()) {
            throw new DomainException.InvalidArgument(field, "script tags are not allowed");
        }
        // Cleaner.isValid(Document) flags removed elements and attributes; a bare "<" in text is fine.
        if (body.indexOf('<') >= 0 && !new Cleaner(ALLOWED).isValid(Jsoup.parseBodyFragment(body))) {
            throw new DomainException.InvalidArgument(field,
                    "contains HTML outside the allowlist (b, i, u, em, strong, br)");
        }
        if (body.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
            throw new DomainException.InvalidArgument(field, "contains control characters");
        }
        return body;
    }
}
