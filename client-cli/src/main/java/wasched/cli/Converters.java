package wasched.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for the time options of {@code message schedule}. */
final class Converters {
  private Converters() {}

  /** An ISO-8601 instant with an offset: 2026-12-24T09:00:00Z or 2026-12-24T09:00:00+01:00. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value.strip()).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant with offset"
                + " (e.g. 2026-12-24T09:00:00Z or 2026-12-24T09:00:00+01:00)");
      }
    }
  }

  /** A positive duration: 30s, 5m, 2h, 1d, combinations like 1h30m, or ISO-8601 like PT30S. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)([smhd])");
    private static final Pattern SHORT_ALL = Pattern.compile("(\\d+[smhd])+");

    @Override
    public Duration convert(String value) {
      Duration d = parse(value);
      if (d == null || d.isNegative() || d.isZero()) {
        throw new TypeConversionException(
            "'" + value + "' is not a positive duration (e.g. 30s, 5m, 2h, 1h30m or PT30S)");
      }
      return d;
    }

    static Duration parse(String value) {
      String s = value.strip().toLowerCase(Locale.ROOT);
      if (SHORT_ALL.matcher(s).matches()) {
        Duration total = Duration.ZERO;
        Matcher m = SHORT.matcher(s);
        try {
          while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total =
                total.plus(
                    switch (m.group(2)) {
                      case "s" -> Duration.ofSeconds(n);
                      case "m" -> Duration.ofMinutes(n);
                      case "h" -> Duration.ofHours(n);
                      default -> Duration.ofDays(n);
                    });
          }
        } catch (ArithmeticException | NumberFormatException e) {
          return null;
        }
        return total;
      }
      if (s.startsWith("p") || s.startsWith("-p")) {
        try {
          return Duration.parse(s.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
          return null;
        }
      }
      return null;
    }
  }

  /** A wall-clock date-time without offset: 2026-12-24T09:00 or 2026-12-24T09:00:00. */
  static final class LocalDateTimeConverter implements ITypeConverter<LocalDateTime> {
    @Override
    public LocalDateTime convert(String value) {
      try {
        return LocalDateTime.parse(value.strip());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a local date-time (e.g. 2026-12-24T09:00)");
      }
    }
  }

  /** An IANA time zone such as Europe/Berlin. */
  static final class ZoneConverter implements ITypeConverter<ZoneId> {
    @Override
    public ZoneId convert(String value) {
      try {
        return ZoneId.of(value.strip());
      } catch (DateTimeException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a known time zone (e.g. Europe/Berlin or UTC)");
      }
    }
  }
}
