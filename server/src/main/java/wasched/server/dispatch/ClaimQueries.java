package wasched.server.dispatch;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The dispatcher's hot path as set-based SQL: one statement claims a whole batch (lock with SKIP
 * LOCKED, stamp the lease, record the transitions, read what to send), and one statement records a
 * whole batch of provider acceptances. A delivery then costs a small share of two commits instead
 * of several of its own.
 */
final class ClaimQueries {
    private ClaimQueries() {}

    /** One claimed row, still sealed. */
    record ClaimedRow(UUID id, UUID recipientId, String bodyCiphertext, int attempt, String phoneCiphertext,
            boolean optedOut) {}

    private static final String CLAIM = """
            WITH due AS (
                SELECT id, state, lease_owner FROM messages
                WHERE (state = 'SCHEDULED' AND next_attempt_at <= ?)
                   OR (state = 'SENDING' AND lease_expires_at < ?)
                ORDER BY next_attempt_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE messages m
                SET state = 'SENDING', attempt_count = m.attempt_count + 1, lease_owner = ?,
                    lease_expires_at = ?, updated_at = ?, version = m.version + 1
                FROM due WHERE m.id = due.id
                RETURNING m.id, m.recipient_id, m.body_ct, m.attempt_count,
                          due.state AS from_state, due.lease_owner AS previous_owner),
            logged AS (
                INSERT INTO message_transitions (message_id, from_state, to_state, at, actor, detail)
                SELECT id, from_state, 'SENDING', ?, ?,
                       CASE WHEN from_state = 'SENDING'
                            THEN 'reclaimed after lease of ' || previous_owner || ' expired, attempt '
                            ELSE 'claimed, attempt ' END || attempt_count
                FROM claimed)
            SELECT c.id, c.recipient_id, c.body_ct, c.attempt_count, r.phone_ct, r.opted_out
            FROM claimed c JOIN recipients r ON r.id = c.recipient_id""";

    static List<ClaimedRow> claim(Connection c, String node, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        OffsetDateTime at = utc(now);
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, at);
            ps.setObject(2, at);
            ps.setInt(3, limit);
            ps.setString(4, node);
            ps.setObject(5, utc(leaseUntil));
            ps.setObject(6, at);
            ps.setObject(7, at);
            ps.setString(8, node);
            List<ClaimedRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ClaimedRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getInt(4), rs.getString(5), rs.getBoolean(6)));
                }
            }
            return rows;
        }
    }

    private static final String CANCEL_OPTED_OUT = """
            WITH cancelled AS (
                UPDATE messages SET state = 'CANCELLED', lease_owner = NULL, lease_expires_at = NULL,
                    updated_at = ?, version = version + 1
                WHERE id = ANY (?) AND state = 'SENDING' AND lease_owner = ?
                RETURNING id)
            INSERT INTO message_transitions (message_id, from_state, to_state, at, actor, detail)
            SELECT id, 'SENDING', 'CANCELLED', ?, ?, 'recipient opted out before sending' FROM cancelled""";

    static void cancelOptedOut(Connection c, String node, Instant now, List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CANCEL_OPTED_OUT)) {
            ps.setObject(1, utc(now));
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            ps.setString(3, node);
            ps.setObject(4, utc(now));
            ps.setString(5, node);
            ps.executeUpdate();
        }
    }

    /**
     * Records provider acceptances. A message still leased by this node becomes SENT; one a status
     * webhook already moved on keeps its later state but gains the wamid if it had none.
     */
    private static final String MARK_SENT = """
            WITH v AS (SELECT * FROM unnest(?::uuid[], ?::text[]) AS t(id, wamid)),
            old AS (
                SELECT m.id, (m.state = 'SENDING' AND m.lease_owner = ?) AS ours
                FROM messages m JOIN v ON v.id = m.id
                FOR UPDATE OF m),
            upd AS (
                UPDATE messages m
                SET provider_message_id = coalesce(m.provider_message_id, v.wamid),
                    state = CASE WHEN old.ours THEN 'SENT' ELSE m.state END,
                    lease_owner = CASE WHEN old.ours THEN NULL ELSE m.lease_owner END,
                    lease_expires_at = CASE WHEN old.ours THEN NULL ELSE m.lease_expires_at END,
                    updated_at = ?, version = m.version + 1
                FROM v, old WHERE m.id = v.id AND old.id = v.id
                RETURNING m.id, old.ours)
            INSERT INTO message_transitions (message_id, from_state, to_state, at, actor, detail)
            SELECT id, 'SENDING', 'SENT', ?, ?, 'accepted by provider' FROM upd WHERE ours""";

    static void markSent(Connection c, String node, Instant now, List<UUID> ids, List<String> wamids)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MARK_SENT)) {
            Array idArray = c.createArrayOf("uuid", ids.toArray());
            Array wamidArray = c.createArrayOf("text", wamids.toArray());
            ps.setArray(1, idArray);
            ps.setArray(2, wamidArray);
            ps.setString(3, node);
            ps.setObject(4, utc(now));
            ps.setObject(5, utc(now));
            ps.setString(6, node);
            ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
