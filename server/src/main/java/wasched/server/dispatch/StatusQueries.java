package wasched.server.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import wasched.server.schedule.StateChanges;

/**
 * Applies a webhook's status reports as a set: find and lock the messages in one query, work out
 * each message's moves in order in memory (a status never moves a message backwards), then write
 * all changed rows and all transitions in two statements.
 */
final class StatusQueries {
    private StatusQueries() {}

    /** Applies the reports; returns how many matched a known message. */
    static int apply(Connection c, Instant now, List<DeliveryStore.StatusReport> reports) throws SQLException {
        Map<String, UUID> byWamid = idsByWamid(c, reports);
        List<UUID> ids = new ArrayList<>();
        List<UUID> target = new ArrayList<>(reports.size());
        for (DeliveryStore.StatusReport r : reports) {
            UUID id = r.callbackMessageId() != null ? r.callbackMessageId() : byWamid.get(r.providerMessageId());
            target.add(id);
            if (id != null) {
                ids.add(id);
            }
        }
        Map<UUID, Row> rows = lock(c, ids);
        List<Object[]> transitions = new ArrayList<>();
        Map<UUID, Row> changed = new LinkedHashMap<>();
        int matched = 0;
        for (int i = 0; i < reports.size(); i++) {
            DeliveryStore.StatusReport r = reports.get(i);
            Row row = target.get(i) == null ? null : rows.get(target.get(i));
            // A callback id must agree with the wamid we hold, if we hold one.
            if (row == null || (row.wamid != null && !row.wamid.equals(r.providerMessageId()))) {
                row = byWamid.containsKey(r.providerMessageId()) ? rows.get(byWamid.get(r.providerMessageId())) : null;
            }
            if (row == null) {
                continue;
            }
            matched++;
            String to = switch (r.status()) {
                case "sent" -> "SENT";
                case "delivered" -> "DELIVERED";
                case "read" -> "READ";
                case "failed" -> "FAILED";
                default -> null;
            };
            if (row.wamid == null) {
                row.wamid = r.providerMessageId();
                changed.put(row.id, row);
            }
            if (to != null && StateChanges.advances(row.state, to)) {
                transitions.add(new Object[] {row.id, row.state, to,
                        "status " + r.status() + (r.error() == null ? "" : ": " + r.error())});
                row.state = to;
                if (r.error() != null) {
                    row.error = r.error();
                }
                changed.put(row.id, row);
            }
        }
        write(c, now, changed.values(), transitions);
        return matched;
    }

    private static final class Row {
        final UUID id;
        String state;
        String wamid;
        String error;

        Row(UUID id, String state, String wamid, String error) {
            this.id = id;
            this.state = state;
            this.wamid = wamid;
            this.error = error;
        }
    }

    private static Map<String, UUID> idsByWamid(Connection c, List<DeliveryStore.StatusReport> reports)
            throws SQLException {
        List<String> wamids = reports.stream().map(DeliveryStore.StatusReport::providerMessageId).distinct().toList();
        Map<String, UUID> result = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT provider_message_id, id FROM messages WHERE provider_message_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", wamids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getObject(2, UUID.class));
                }
            }
        }
        return result;
    }

    /** Locks the messages in id order (a fixed order, so concurrent webhooks cannot deadlock). */
    private static Map<UUID, Row> lock(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, Row> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, state, provider_message_id, last_error FROM messages
                WHERE id = ANY (?) ORDER BY id FOR UPDATE""")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.stream().distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    rows.put(id, new Row(id, rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return rows;
    }

    private static void write(Connection c, Instant now, java.util.Collection<Row> changed,
            List<Object[]> transitions) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE messages m
                SET state = v.state, provider_message_id = v.wamid, last_error = v.error,
                    lease_owner = CASE WHEN v.state = 'SENDING' THEN m.lease_owner END,
                    lease_expires_at = CASE WHEN v.state = 'SENDING' THEN m.lease_expires_at END,
                    updated_at = ?, version = m.version + 1
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) AS v(id, state, wamid, error)
                WHERE m.id = v.id""")) {
            ps.setObject(1, at);
            ps.setArray(2, c.createArrayOf("uuid", changed.stream().map(r -> r.id).toArray()));
            ps.setArray(3, c.createArrayOf("text", changed.stream().map(r -> r.state).toArray()));
            ps.setArray(4, c.createArrayOf("text", changed.stream().map(r -> r.wamid).toArray()));
            ps.setArray(5, c.createArrayOf("text", changed.stream().map(r -> r.error).toArray()));
            ps.executeUpdate();
        }
        if (transitions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO message_transitions (message_id, from_state, to_state, at, actor, detail)
                SELECT id, from_state, to_state, ?, 'provider', detail
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[])
                     WITH ORDINALITY AS t(id, from_state, to_state, detail, n)
                ORDER BY n""")) {
            ps.setObject(1, at);
            ps.setArray(2, c.createArrayOf("uuid", transitions.stream().map(t -> t[0]).toArray()));
            ps.setArray(3, c.createArrayOf("text", transitions.stream().map(t -> t[1]).toArray()));
            ps.setArray(4, c.createArrayOf("text", transitions.stream().map(t -> t[2]).toArray()));
            ps.setArray(5, c.createArrayOf("text", transitions.stream().map(t -> t[3]).toArray()));
            ps.executeUpdate();
        }
    }
}
