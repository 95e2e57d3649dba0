package wasched.server.dispatch;

import jakarta.persistence.LockModeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import wasched.server.persistence.MessageEntity;
import wasched.server.persistence.Transactions;
import wasched.server.recipient.RecipientDirectory;
import wasched.server.schedule.MessageScheduler;
import wasched.server.schedule.StateChanges;

/**
 * The dispatcher's view of the messages table. Claims take due rows with {@code FOR UPDATE SKIP
 * LOCKED} and stamp them with this node's lease, so replicas sharing one database never claim the
 * same message, and a crashed node's claims become claimable again once their lease expires.
 */
public final class DeliveryStore {
    private final Transactions tx;
    private final DataSource dataSource;
    private final RecipientDirectory recipients;
    private final MessageScheduler messages;
    private final Clock clock;

    public DeliveryStore(Transactions tx, DataSource dataSource, RecipientDirectory recipients,
            MessageScheduler messages, Clock clock) {
        this.tx = tx;
        this.dataSource = dataSource;
        this.recipients = recipients;
        this.messages = messages;
        this.clock = clock;
    }

    /** A claimed message, opened for sending. */
    public record Claim(UUID messageId, String phoneE164, String body, int attempt) {}

    public List<Claim> claim(String node, int limit, Duration lease) {
        Instant now = now();
        return jdbc(c -> {
            List<ClaimQueries.ClaimedRow> rows = ClaimQueries.claim(c, node, now, now.plus(lease), limit);
            List<UUID> optedOut = new ArrayList<>();
            List<Claim> claims = new ArrayList<>(rows.size());
            for (ClaimQueries.ClaimedRow row : rows) {
                if (row.optedOut()) {
                    optedOut.add(row.id());
                } else {
                    claims.add(new Claim(row.id(), recipients.openPhone(row.recipientId(), row.phoneCiphertext()),
                            messages.openBody(row.id(), row.bodyCiphertext()), row.attempt()));
                }
            }
            if (!optedOut.isEmpty()) {
                ClaimQueries.cancelOptedOut(c, node, now, optedOut);
            }
            return claims;
        });
    }

    /** A provider acceptance to record. */
    public record Sent(UUID messageId, String providerMessageId) {}

    /** Records a batch of provider acceptances in one transaction. */
    public void markSent(String node, List<Sent> sent) {
        if (sent.isEmpty()) {
            return;
        }
        Instant now = now();
        jdbc(c -> {
            ClaimQueries.markSent(c, node, now, sent.stream().map(Sent::messageId).toList(),
                    sent.stream().map(Sent::providerMessageId).toList());
            return null;
        });
    }

    public void markSent(UUID id, String node, String providerMessageId) {
        markSent(node, List.of(new Sent(id, providerMessageId)));
    }

    /** Runs JDBC work in one transaction on a pooled connection. */
    private <T> T jdbc(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("dispatch query failed: " + e.getMessage(), e);
        }
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    public void markRetry(UUID id, String node, Instant nextAttemptAt, String error) {
        Instant now = now();
        tx.run(em -> {
            MessageEntity m = em.find(MessageEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (ours(m, node)) {
                clearLease(m);
                m.setLastError(error);
                m.setNextAttemptAt(nextAttemptAt.truncatedTo(ChronoUnit.MICROS));
                StateChanges.move(em, m, "SCHEDULED", now, node, "retry at " + nextAttemptAt + ": " + error);
            }
        });
    }

    public void markFailed(UUID id, String node, String error) {
        Instant now = now();
        tx.run(em -> {
            MessageEntity m = em.find(MessageEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (ours(m, node)) {
                clearLease(m);
                m.setLastError(error);
                StateChanges.move(em, m, "FAILED", now, node, error);
            }
        });
    }

    /** Gives back a claim that was never sent (shutdown), without counting the attempt. */
    public void release(UUID id, String node) {
        Instant now = now();
        tx.run(em -> {
            MessageEntity m = em.find(MessageEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (ours(m, node)) {
                clearLease(m);
                m.setAttemptCount(Math.max(0, m.getAttemptCount() - 1));
                StateChanges.move(em, m, "SCHEDULED", now, node, "released unsent at shutdown");
            }
        });
    }

    /** The earliest time anything becomes claimable, if anything is waiting. */
    public Optional<Instant> nextDue() {
        return tx.inTransaction(em -> {
            Object v = em.createNativeQuery("""
                    SELECT min(t) FROM (
                      SELECT min(next_attempt_at) AS t FROM messages WHERE state = 'SCHEDULED'
                      UNION ALL
                      SELECT min(lease_expires_at) FROM messages WHERE state = 'SENDING') x""")
                    .getSingleResult();
            return Optional.ofNullable(v).map(DeliveryStore::toInstant);
        });
    }

    /** One status from a webhook. */
    public record StatusReport(String providerMessageId, UUID callbackMessageId, String status, String error) {}

    /** Applies a webhook's statuses in one transaction, in the order given; returns how many matched a message. */
    public int applyStatuses(List<StatusReport> reports) {
        if (reports.isEmpty()) {
            return 0;
        }
        Instant now = now();
        return jdbc(c -> StatusQueries.apply(c, now, reports));
    }

    private static boolean ours(MessageEntity m, String node) {
        return "SENDING".equals(m.getState()) && node.equals(m.getLeaseOwner());
    }

    private static void clearLease(MessageEntity m) {
        m.setLeaseOwner(null);
        m.setLeaseExpiresAt(null);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant toInstant(Object v) {
        if (v instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (v instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + v.getClass());
    }
}
