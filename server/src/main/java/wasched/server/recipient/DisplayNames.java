package wasched.server.recipient;

import java.text.Normalizer;
import java.util.regex.Pattern;
import wasched.server.DomainException;

/** Validates recipient display names: 1-100 letters (any script), spaces, and - ' . */
public final class DisplayNames {
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{M} '.-]+");

    private DisplayNames() {}

    public static String validate(String raw, String field) {
        String name = raw == null ? "" : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (name.isEmpty()) {
            throw new DomainException.InvalidArgument(field, "required");
        }
        if (name.codePointCount(0, name.length()) > 100) {
            throw new DomainException.InvalidArgument(field, "must be at most 100 characters");
        }
        if (!ALLOWED.matcher(name).matches()) {
            throw new DomainException.InvalidArgument(field, "may contain only letters, spaces, and - ' .");
        }
        return name;
    }
}
