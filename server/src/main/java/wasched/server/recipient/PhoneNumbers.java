package wasched.server.recipient;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import wasched.server.DomainException;

/** Normalises phone numbers to E.164 with libphonenumber; anything it does not call valid is refused. */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {}

    /**
     * @param raw the number as typed ("+49 151 2345 6789", "0151 23456789" with region DE)
     * @param defaultRegion ISO 3166 region for numbers without "+", or blank
     * @param field the request field to name in an error
     */
    public static String toE164(String raw, String defaultRegion, String field) {
        if (raw == null || raw.isBlank()) {
            throw new DomainException.InvalidArgument(field, "required");
        }
        if (raw.length() > 64) {
            throw new DomainException.InvalidArgument(field, "too long to be a phone number");
        }
        String region = defaultRegion == null || defaultRegion.isBlank()
                ? null : defaultRegion.trim().toUpperCase(Locale.ROOT);
        if (region != null && !UTIL.getSupportedRegions().contains(region)) {
            throw new DomainException.InvalidArgument("default_region", "unknown region code " + region);
        }
        PhoneNumber parsed;
        try {
            parsed = UTIL.parse(raw, region == null ? "ZZ" : region);
        } catch (NumberParseException e) {
            throw new DomainException.InvalidArgument(field, region == null && !raw.strip().startsWith("+")
                    ? "not a valid phone number (use +<country code> or set default_region)"
                    : "not a valid phone number");
        }
        if (!UTIL.isValidNumber(parsed)) {
            throw new DomainException.InvalidArgument(field, "not a valid phone number");
        }
        return UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /** "+4915123456789" → "+49*******789": enough to recognise, not enough to dial. */
    public static String mask(String e164) {
        if (e164 == null || e164.length() < 7) {
            return "***";
        }
        return e164.substring(0, 3) + "*".repeat(e164.length() - 6) + e164.substring(e164.length() - 3);
    }
}
