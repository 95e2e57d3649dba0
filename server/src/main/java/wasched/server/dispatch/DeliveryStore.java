package wasched.server.dispatch;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
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
    private static final Logger LOG = Logger.getLogger(DeliveryStore.class.getName());

    private final Transactions tx;
    private final RecipientDirectory recipients;
    private final MessageScheduler messages;
    private final Clock clock;

    public DeliveryStore(Transactions tx, RecipientDirectory recipients, MessageScheduler messages, Clock clock) {
        this.tx = tx;
        this.recipients = recipients;
        this.messages = messages;
        this.clock = clock;
    }

    /** A claimed message, opened for sending. */
    public record Claim(UUID messageId, String phoneE164, String body, int attempt) {}

    public List<Claim> claim(String node, int limit, Duration lease) {
        Instant now = now();
        return tx.inTransaction(em -> {
            @SuppressWarnings("unchecked")
            List<Object> ids = em.createNativeQuery("""
                    SELECT id FROM messages
                    WHERE (state = 'SCHEDULED' AND next_attempt_at <= ?1)
                       OR (state = 'SENDING' AND lease_expires_at < ?1)
                    ORDER BY next_attempt_at
                    LIMIT ?2
                    FOR UPDATE SKIP LOCKED""")
                    .setParameter(1, now.atOffset(ZoneOffset.UTC))
                    .setParameter(2, limit)
                    .getResultList();
            List<Claim> claims = new ArrayList<>(ids.size());
            for (Object o : ids) {
                MessageEntity m = em.find(MessageEntity.class, (UUID) o);
                var destination = recipients.destination(em, m.getRecipientId());
                if (destination.optedOut()) {
                    StateChanges.move(em, m, "CANCELLED", now, node, "recipient opted out before sending");
                    continue;
                }
                String detail = "SENDING".equals(m.getState())
                        ? "reclaimed after lease of " + m.getLeaseOwner() + " expired" : "claimed";
                m.setAttemptCount(m.getAttemptCount() + 1);
                m.setLeaseOwner(node);
                m.setLeaseExpiresAt(now.plus(lease));
                StateChanges.move(em, m, "SENDING", now, node, detail + ", attempt " + m.getAttemptCount());
                claims.add(new Claim(m.getId(), destination.phoneE164(), messages.openBody(m), m.getAttemptCount()));
            }
            return claims;
        });
    }

    public void markSent(UUID id, String node, String providerMessageId) {
        Instant now = now();
        tx.run(em -> {
            MessageEntity m = em.find(MessageEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (m.getProviderMessageId() == null) {
                m.setProviderMessageId(providerMessageId);
                m.setUpdatedAt(now);
            }
            if (ours(m, node)) {
                clearLease(m);
                StateChanges.move(em, m, "SENT", now, node, "accepted by provider");
            } else {
                // A status webhook overtook us (it carries our message id); keep its later state.
                LOG.fine(() -> "message " + id + " already " + m.getState() + " when the send returned");
            }
        });
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

    /** Applies one provider status report; returns the message's state afterwards, if the message is known. */
    public Optional<String> applyStatus(String providerMessageId, UUID callbackMessageId, String status,
            String error) {
        Instant now = now();
        String to = switch (status) {
            case "sent" -> "SENT";
            case "delivered" -> "DELIVERED";
            case "read" -> "READ";
            case "failed" -> "FAILED";
            default -> null;
        };
        if (to == null) {
            return Optional.empty();
        }
        return tx.inTransaction(em -> {
            MessageEntity m = find(em, providerMessageId, callbackMessageId);
            if (m == null) {
                return Optional.empty();
            }
            if (m.getProviderMessageId() == null) {
                m.setProviderMessageId(providerMessageId);
            }
            if (StateChanges.advances(m.getState(), to)) {
                clearLease(m);
                if (error != null) {
                    m.setLastError(error);
                }
                StateChanges.move(em, m, to, now, "provider", "status " + status + (error == null ? "" : ": " + error));
            }
            return Optional.of(m.getState());
        });
    }

    private static MessageEntity find(EntityManager em, String providerMessageId, UUID callbackMessageId) {
        if (callbackMessageId != null) {
            MessageEntity m = em.find(MessageEntity.class, callbackMessageId, LockModeType.PESSIMISTIC_WRITE);
            if (m != null && (m.getProviderMessageId() == null || m.getProviderMessageId().equals(providerMessageId))) {
                return m;
            }
        }
        return em.createQuery("SELECT m FROM MessageEntity m WHERE m.providerMessageId = :w", MessageEntity.class)
                .setParameter("w", providerMessageId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(null);
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
