package wasched.server.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneRulesProvider;
import wasched.server.DomainException;

/**
 * Resolves when a message is due. Wall-clock times are read in an IANA zone with one DST rule:
 * a time skipped by a spring-forward gap moves forward by the gap's length (02:30 → 03:30), and a
 * time that occurs twice in an autumn overlap takes the first (earlier) occurrence.
 */
public final class SendTimes {
    /** How far ahead a message may be scheduled. */
    public static final Duration MAX_AHEAD = Duration.ofDays(366);

    private SendTimes() {}

    /** The validated IANA zone id; blank means UTC. Offsets like "+01:00" are refused: they do not know DST. */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneOffset.UTC;
        }
        if (!ZoneRulesProvider.getAvailableZoneIds().contains(timeZone)) {
            throw new DomainException.InvalidArgument("time_zone",
                    "must be an IANA time zone such as Europe/Berlin (got '" + timeZone + "')");
        }
        return ZoneId.of(timeZone);
    }

    /** Resolves a wall-clock time ("2026-12-24T09:00") in the zone, by the DST rule above. */
    public static Instant fromLocal(String localTime, ZoneId zone) {
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(localTime);
        } catch (DateTimeParseException e) {
            throw new DomainException.InvalidArgument("local_send_time",
                    "must be an ISO-8601 local date-time such as 2026-12-24T09:00");
        }
        try {
            // ZonedDateTime.of implements exactly our rule: gap → shifted later, overlap → earlier offset.
            return ZonedDateTime.of(local, zone).toInstant();
        } catch (DateTimeException e) {
            throw new DomainException.InvalidArgument("local_send_time", "cannot be placed in " + zone);
        }
    }

    /** Checks the send time is not in the past and not too far ahead. */
    public static void requireSchedulable(Instant sendAt, Instant now, String field) {
        if (sendAt.isBefore(now)) {
            throw new DomainException.InvalidArgument(field, "must not be in the past");
        }
        if (sendAt.isAfter(now.plus(MAX_AHEAD))) {
            throw new DomainException.InvalidArgument(field, "must be at most 366 days ahead");
        }
    }
}
