package wasched.server.schedule;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import wasched.server.DomainException;
import wasched.server.PageToken;
import wasched.server.crypto.FieldCipher;
import wasched.server.persistence.MessageEntity;
import wasched.server.persistence.Transactions;
import wasched.server.recipient.RecipientDirectory;
import wasched.server.recipient.RequestIds;
import wasched.server.security.Principal;

/** Schedules, finds and cancels one-off messages; bodies are sealed with AES-GCM bound to their row. */
public final class MessageScheduler {
    static final String TABLE = "messages";
    /** The PostgreSQL NOTIFY channel that tells dispatchers of new work (see dispatch.DueListener). */
    public static final String DUE_CHANNEL = "wasched_due";

    private final Transactions tx;
    private final FieldCipher cipher;
    private final RecipientDirectory recipients;
    private final Clock clock;

    public MessageScheduler(Transactions tx, FieldCipher cipher, RecipientDirectory recipients, Clock clock) {
        this.tx = tx;
        this.cipher = cipher;
        this.recipients = recipients;
        this.clock = clock;
    }

    /** What a caller asks for; exactly one of sendTime and localSendTime is set. */
    public record ScheduleCommand(UUID recipientId, String body, Instant sendTime, String localSendTime,
            String timeZone, String requestId) {}

    public MessageView schedule(Principal caller, ScheduleCommand cmd) {
        String body = MessageBodies.validate(cmd.body(), "body");
        ZoneId zone = SendTimes.zone(cmd.timeZone());
        Instant sendAt;
        String field;
        if (cmd.localSendTime() != null && !cmd.localSendTime().isBlank()) {
            if (cmd.sendTime() != null) {
                throw new DomainException.InvalidArgument("send_time", "give send_time or local_send_time, not both");
            }
            sendAt = SendTimes.fromLocal(cmd.localSendTime(), zone);
            field = "local_send_time";
        } else if (cmd.sendTime() != null) {
            sendAt = cmd.sendTime();
            field = "send_time";
        } else {
            throw new DomainException.InvalidArgument("send_time", "required (or local_send_time with time_zone)");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        SendTimes.requireSchedulable(sendAt, now, field);
        Instant due = sendAt.truncatedTo(ChronoUnit.MICROS);
        String rid = RequestIds.validate(cmd.requestId());
        String zoneId = zone == ZoneOffset.UTC ? "UTC" : zone.getId();
        return tx.inTransaction(em -> {
            if (rid != null) {
                Optional<MessageEntity> earlier = em.createQuery(
                                "SELECT m FROM MessageEntity m WHERE m.ownerId = :o AND m.requestId = :rid",
                                MessageEntity.class)
                        .setParameter("o", caller.userId()).setParameter("rid", rid).getResultStream().findFirst();
                if (earlier.isPresent()) {
                    return view(earlier.get(), caller.username());
                }
            }
            recipients.requireSendable(em, caller, cmd.recipientId(), "recipient");
            UUID id = UUID.randomUUID();
            MessageEntity m = new MessageEntity(id, caller.userId(), cmd.recipientId(),
                    cipher.seal(body, FieldCipher.aad(TABLE, "body", id)), due, zoneId, rid, now);
            em.persist(m);
            em.persist(new wasched.server.persistence.MessageTransitionEntity(id, null, "SCHEDULED", now,
                    caller.username(), "scheduled for " + due));
            announce(em, due);
            return view(m, caller.username());
        });
    }

    /**
     * Tells every dispatcher (all replicas) of work due at {@code due}, when this transaction
     * commits and only then. The flush opens the database transaction first, so EclipseLink runs
     * the NOTIFY on the transaction's own connection rather than on a separate read connection.
     */
    private static void announce(EntityManager em, Instant due) {
        em.flush();
        em.createNativeQuery("SELECT pg_notify(?1, ?2)")
                .setParameter(1, DUE_CHANNEL).setParameter(2, Long.toString(due.toEpochMilli()))
                .getSingleResult();
    }

    /** Moves a message no dispatcher has claimed to a new send time (and time zone, if given). */
    public MessageView reschedule(Principal caller, UUID id, Instant sendTime, String timeZone) {
        if (sendTime == null) {
            throw new DomainException.InvalidArgument("send_time", "required");
        }
        ZoneId zone = timeZone == null || timeZone.isBlank() ? null : SendTimes.zone(timeZone);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        SendTimes.requireSchedulable(sendTime, now, "send_time");
        Instant due = sendTime.truncatedTo(ChronoUnit.MICROS);
        return tx.inTransaction(em -> {
            MessageEntity m = find(em, caller, id, LockModeType.PESSIMISTIC_WRITE);
            if (!"SCHEDULED".equals(m.getState())) {
                throw new DomainException.FailedPrecondition(
                        "messages/" + id + " is " + m.getState() + " and can no longer be rescheduled");
            }
            Instant before = m.getSendAt();
            m.setSendAt(due);
            m.setNextAttemptAt(due);
            if (zone != null) {
                m.setTimeZone(zone == ZoneOffset.UTC ? "UTC" : zone.getId());
            }
            StateChanges.move(em, m, "SCHEDULED", now, caller.username(),
                    "rescheduled from " + before + " to " + due);
            announce(em, due);
            return view(em, m);
        });
    }

    /**
     * Deletes a message: it disappears from the API at once and is purged by retention later. A
     * pending message is cancelled first; one being handed to the provider cannot be deleted yet.
     */
    public void delete(Principal caller, UUID id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        tx.run(em -> {
            MessageEntity m = find(em, caller, id, LockModeType.PESSIMISTIC_WRITE);
            if ("SENDING".equals(m.getState())) {
                throw new DomainException.FailedPrecondition("messages/" + id + " is being sent; try again shortly");
            }
            if ("SCHEDULED".equals(m.getState())) {
                StateChanges.move(em, m, "CANCELLED", now, caller.username(), "deleted before sending");
            }
            m.setDeletedAt(now);
            m.setUpdatedAt(now);
        });
    }

    /** Purges messages deleted more than {@code retention} ago, with their transitions; returns how many. */
    public long purgeDeleted(java.time.Duration retention) {
        java.time.OffsetDateTime cutoff = clock.instant().minus(retention).atOffset(ZoneOffset.UTC);
        return tx.inTransaction(em -> {
            em.createNativeQuery("DELETE FROM message_transitions WHERE message_id IN "
                            + "(SELECT id FROM messages WHERE deleted_at < ?1)")
                    .setParameter(1, cutoff).executeUpdate();
            return (long) em.createNativeQuery("DELETE FROM messages WHERE deleted_at < ?1")
                    .setParameter(1, cutoff).executeUpdate();
        });
    }

    /** Records a recipient's opt-out and cancels every message to it that no dispatcher has claimed. */
    public wasched.server.recipient.RecipientView optOut(Principal caller, UUID recipientId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return tx.inTransaction(em -> {
            var recipient = recipients.optOut(em, caller, recipientId, now);
            List<MessageEntity> pending = em.createQuery(
                            "SELECT m FROM MessageEntity m WHERE m.recipientId = :r AND m.state = 'SCHEDULED'",
                            MessageEntity.class)
                    .setParameter("r", recipientId)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            for (MessageEntity m : pending) {
                StateChanges.move(em, m, "CANCELLED", now, caller.username(), "recipient opted out");
            }
            return recipient;
        });
    }

    public MessageView get(Principal caller, UUID id) {
        return tx.inTransaction(em -> view(em, find(em, caller, id, LockModeType.NONE)));
    }

    /** Cancels a message that no dispatcher has claimed yet; claimed or finished ones cannot be. */
    public MessageView cancel(Principal caller, UUID id) {
        return tx.inTransaction(em -> {
            MessageEntity m = find(em, caller, id, LockModeType.PESSIMISTIC_WRITE);
            if ("CANCELLED".equals(m.getState())) {
                return view(em, m);
            }
            if (!"SCHEDULED".equals(m.getState())) {
                throw new DomainException.FailedPrecondition(
                        "messages/" + id + " is " + m.getState() + " and can no longer be cancelled");
            }
            StateChanges.move(em, m, "CANCELLED", clock.instant().truncatedTo(ChronoUnit.MICROS),
                    caller.username(), "cancelled by caller");
            return view(em, m);
        });
    }

    public PageToken.Page<MessageView> list(Principal caller, int pageSize, String pageToken, String state) {
        PageToken after = PageToken.decode(pageToken);
        return tx.inTransaction(em -> {
            @SuppressWarnings("unchecked")
            List<Object> ids = em.createNativeQuery("""
                    SELECT id FROM messages
                    WHERE (?1 OR owner_id = ?2) AND (?3 = '' OR state = ?3) AND (created_at, id) > (?4, ?5)
                      AND deleted_at IS NULL
                    ORDER BY created_at, id LIMIT ?6""")
                    .setParameter(1, caller.seesAllOwners())
                    .setParameter(2, caller.userId())
                    .setParameter(3, state == null ? "" : state)
                    .setParameter(4, PageToken.afterTime(after))
                    .setParameter(5, PageToken.afterId(after))
                    .setParameter(6, pageSize + 1)
                    .getResultList();
            List<UUID> page = ids.stream().limit(pageSize).map(o -> (UUID) o).toList();
            List<MessageEntity> rows = page.isEmpty() ? List.of() : em.createQuery(
                            "SELECT m FROM MessageEntity m WHERE m.id IN :ids", MessageEntity.class)
                    .setParameter("ids", page).getResultList();
            Map<UUID, String> owners = RecipientDirectory.ownerNames(em,
                    rows.stream().map(MessageEntity::getOwnerId).toList());
            List<MessageView> views = rows.stream()
                    .sorted(Comparator.comparing(MessageEntity::getCreatedAt).thenComparing(MessageEntity::getId))
                    .map(m -> view(m, owners.get(m.getOwnerId()))).toList();
            return PageToken.page(ids.size(), pageSize, views, MessageView::createdAt, MessageView::id);
        });
    }

    private MessageEntity find(EntityManager em, Principal caller, UUID id, LockModeType lock) {
        MessageEntity m = em.find(MessageEntity.class, id, lock);
        if (m == null || m.getDeletedAt() != null || !caller.mayAccess(m.getOwnerId())) {
            throw new DomainException.NotFound("messages/" + id);
        }
        return m;
    }

    private MessageView view(EntityManager em, MessageEntity m) {
        return view(m, RecipientDirectory.ownerName(em, m.getOwnerId()));
    }

    /** Opens a message body sealed by this class. */
    public String openBody(MessageEntity m) {
        return openBody(m.getId(), m.getBodyCiphertext());
    }

    /** Opens a body column value read by the dispatcher's own query. */
    public String openBody(UUID messageId, String bodyCiphertext) {
        return cipher.open(bodyCiphertext, FieldCipher.aad(TABLE, "body", messageId));
    }

    private MessageView view(MessageEntity m, String ownerUsername) {
        return new MessageView(m.getId(), m.getRecipientId(), ownerUsername, openBody(m), m.getSendAt(),
                m.getTimeZone(), m.getState(), m.getProviderMessageId(), m.getAttemptCount(), m.getLastError(),
                m.getCreatedAt(), m.getUpdatedAt());
    }
}
