package wasched.server.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Security events (logins, lockouts, user changes, token reuse) in an append-only, hash-chained
 * table. Appends are serialised by a transaction-scoped advisory lock so the chain has one order
 * even with several replicas; the database refuses UPDATE, DELETE and TRUNCATE on the table.
 * Entries hold names and resource names, never phone numbers, message bodies or secrets.
 */
public final class AuditLog {
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    /** Arbitrary constant naming the advisory lock that orders appends. */
    private static final long APPEND_LOCK = 0x7761736368656421L;
    static final String GENESIS = "0".repeat(64);

    private final DataSource dataSource;
    private final Clock clock;

    public AuditLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** One audited event. */
    public record Entry(long sequence, Instant at, String actor, String action, String target, String detail,
            String hash) {}

    /**
     * Appends an event. Failing to audit must not be silent, but must not undo what happened
     * either: the failure is logged at SEVERE.
     */
    public void record(String actor, String action, String target, String detail) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, APPEND_LOCK);
                    lock.execute();
                }
                long seq = 1;
                String prev = GENESIS;
                try (ResultSet rs = c.createStatement().executeQuery(
                        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
                    if (rs.next()) {
                        seq = rs.getLong(1) + 1;
                        prev = rs.getString(2);
                    }
                }
                String hash = hash(prev, seq, at, actor, action, target, detail);
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setLong(1, seq);
                    ps.setObject(2, at.atOffset(ZoneOffset.UTC));
                    ps.setString(3, actor);
                    ps.setString(4, action);
                    ps.setString(5, target);
                    ps.setString(6, detail);
                    ps.setString(7, prev);
                    ps.setString(8, hash);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "could not audit " + action + " by " + actor + " on " + target, e);
        }
    }

    /** Entries after {@code afterSequence}, oldest first, optionally only one actor's. */
    public List<Entry> query(long afterSequence, int limit, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT seq, at, actor, action, target, detail, hash FROM audit_log
                WHERE seq > ? AND (? = '' OR actor = ?) ORDER BY seq LIMIT ?""")) {
            ps.setLong(1, afterSequence);
            ps.setString(2, actor == null ? "" : actor);
            ps.setString(3, actor == null ? "" : actor);
            ps.setInt(4, limit);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            return entries;
        }
    }

    /** The result of checking the whole chain. */
    public record Verification(boolean intact, long checked, long firstBrokenSequence) {}

    /** Recomputes every hash in order; the first entry whose stored values do not match breaks the chain. */
    public Verification verify() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq""")) {
                ps.setFetchSize(1000);
                String prev = GENESIS;
                long expectedSeq = 1;
                long checked = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong(1);
                        Instant at = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                        String recomputed = hash(prev, seq, at, rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6));
                        if (seq != expectedSeq || !prev.equals(rs.getString(7)) || !recomputed.equals(rs.getString(8))) {
                            return new Verification(false, checked, seq);
                        }
                        prev = rs.getString(8);
                        expectedSeq++;
                        checked++;
                    }
                }
                return new Verification(true, checked, 0);
            } finally {
                c.rollback();
            }
        }
    }

    /** SHA-256 over the previous hash and every field, length-prefixed so fields cannot run together. */
    static String hash(String prev, long seq, Instant at, String actor, String action, String target,
            String detail) {
        SHA256Digest d = new SHA256Digest();
        for (String part : new String[] {prev, Long.toString(seq), at.toString(), actor, action, target, detail}) {
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            byte[] len = Integer.toString(b.length).getBytes(StandardCharsets.UTF_8);
            d.update(len, 0, len.length);
            d.update((byte) ':');
            d.update(b, 0, b.length);
        }
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return HexFormat.of().formatHex(out);
    }
}
