package wasched.server.recipient;

import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import wasched.server.DomainException;
import wasched.server.PageToken;
import wasched.server.crypto.BlindIndex;
import wasched.server.crypto.FieldCipher;
import wasched.server.persistence.RecipientEntity;
import wasched.server.persistence.Transactions;
import wasched.server.persistence.UserEntity;
import wasched.server.security.Principal;

/**
 * Creates and finds recipients. Phone and name are sealed with AES-GCM bound to their row; the
 * phone also gets a blind index so one owner cannot add the same number twice.
 */
public final class RecipientDirectory {
    static final String TABLE = "recipients";

    private final Transactions tx;
    private final FieldCipher cipher;
    private final BlindIndex blindIndex;
    private final Clock clock;

    public RecipientDirectory(Transactions tx, FieldCipher cipher, BlindIndex blindIndex, Clock clock) {
        this.tx = tx;
        this.cipher = cipher;
        this.blindIndex = blindIndex;
        this.clock = clock;
    }

    public RecipientView create(Principal owner, String rawPhone, String defaultRegion, String rawName,
            String requestId) {
        String e164 = PhoneNumbers.toE164(rawPhone, defaultRegion, "recipient.phone_number");
        String name = DisplayNames.validate(rawName, "recipient.display_name");
        String rid = RequestIds.validate(requestId);
        String index = blindIndex.of("recipient.phone", e164);
        return tx.inTransaction(em -> {
            if (rid != null) {
                Optional<RecipientEntity> earlier = em.createQuery(
                                "SELECT r FROM RecipientEntity r WHERE r.ownerId = :o AND r.requestId = :rid",
                                RecipientEntity.class)
                        .setParameter("o", owner.userId()).setParameter("rid", rid).getResultStream().findFirst();
                if (earlier.isPresent()) {
                    return view(earlier.get(), owner.username());
                }
            }
            boolean duplicate = !em.createQuery(
                            "SELECT r.id FROM RecipientEntity r WHERE r.ownerId = :o AND r.phoneIndex = :i")
                    .setParameter("o", owner.userId()).setParameter("i", index).getResultList().isEmpty();
            if (duplicate) {
                throw new DomainException.AlreadyExists("a recipient with this phone number already exists");
            }
            UUID id = UUID.randomUUID();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            RecipientEntity e = new RecipientEntity(id, owner.userId(),
                    cipher.seal(e164, FieldCipher.aad(TABLE, "phone", id)), index,
                    cipher.seal(name, FieldCipher.aad(TABLE, "name", id)), rid, now);
            em.persist(e);
            return view(e, owner.username());
        });
    }

    public RecipientView get(Principal caller, UUID id) {
        return tx.inTransaction(em -> {
            RecipientEntity e = em.find(RecipientEntity.class, id);
            if (e == null || !caller.mayAccess(e.getOwnerId())) {
                throw new DomainException.NotFound("recipients/" + id);
            }
            return view(e, ownerName(em, e.getOwnerId()));
        });
    }


    /** Opens a phone column value read by the dispatcher's own query. */
    public String openPhone(UUID recipientId, String phoneCiphertext) {
        return cipher.open(phoneCiphertext, FieldCipher.aad(TABLE, "phone", recipientId));
    }

    /** Marks a recipient opted out, inside the caller's transaction (which cancels its pending messages). */
    public RecipientView optOut(EntityManager em, Principal caller, UUID id, java.time.Instant now) {
        RecipientEntity e = em.find(RecipientEntity.class, id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (e == null || !caller.mayAccess(e.getOwnerId())) {
            throw new DomainException.NotFound("recipients/" + id);
        }
        if (!e.isOptedOut()) {
            e.setOptedOut(true);
            e.setUpdatedAt(now);
        }
        return view(e, ownerName(em, e.getOwnerId()));
    }

    /** Checks the caller may address this recipient and that it has not opted out. */
    public void requireSendable(EntityManager em, Principal caller, UUID recipientId, String field) {
        RecipientEntity e = em.find(RecipientEntity.class, recipientId);
        if (e == null || !caller.mayAccess(e.getOwnerId())) {
            throw new DomainException.NotFound("recipients/" + recipientId);
        }
        if (e.isOptedOut()) {
            throw new DomainException.FailedPrecondition(field + ": recipient has opted out");
        }
    }

    public PageToken.Page<RecipientView> list(Principal caller, int pageSize, String pageToken) {
        PageToken after = PageToken.decode(pageToken);
        return tx.inTransaction(em -> {
            @SuppressWarnings("unchecked")
            List<Object> ids = em.createNativeQuery("""
                    SELECT id FROM recipients
                    WHERE (?1 OR owner_id = ?2) AND (created_at, id) > (?3, ?4)
                    ORDER BY created_at, id LIMIT ?5""")
                    .setParameter(1, caller.seesAllOwners())
                    .setParameter(2, caller.userId())
                    .setParameter(3, PageToken.afterTime(after))
                    .setParameter(4, PageToken.afterId(after))
                    .setParameter(5, pageSize + 1)
                    .getResultList();
            List<UUID> page = ids.stream().limit(pageSize).map(o -> (UUID) o).toList();
            List<RecipientEntity> rows = page.isEmpty() ? List.of() : em.createQuery(
                            "SELECT r FROM RecipientEntity r WHERE r.id IN :ids", RecipientEntity.class)
                    .setParameter("ids", page).getResultList();
            Map<UUID, String> owners = ownerNames(em, rows.stream().map(RecipientEntity::getOwnerId).toList());
            List<RecipientView> views = rows.stream()
                    .sorted(Comparator.comparing(RecipientEntity::getCreatedAt).thenComparing(RecipientEntity::getId))
                    .map(r -> view(r, owners.get(r.getOwnerId()))).toList();
            return PageToken.page(ids.size(), pageSize, views, RecipientView::createdAt, RecipientView::id);
        });
    }

    private RecipientView view(RecipientEntity e, String ownerUsername) {
        return new RecipientView(e.getId(), ownerUsername,
                cipher.open(e.getPhoneCiphertext(), FieldCipher.aad(TABLE, "phone", e.getId())),
                cipher.open(e.getNameCiphertext(), FieldCipher.aad(TABLE, "name", e.getId())),
                e.isOptedOut(), e.getCreatedAt(), e.getUpdatedAt());
    }

    public static String ownerName(EntityManager em, UUID ownerId) {
        return ownerNames(em, List.of(ownerId)).getOrDefault(ownerId, "unknown");
    }

    /** Usernames of the given owners, in one query. */
    public static Map<UUID, String> ownerNames(EntityManager em, List<UUID> ownerIds) {
        if (ownerIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("SELECT u FROM UserEntity u WHERE u.id IN :ids", UserEntity.class)
                .setParameter("ids", ownerIds.stream().distinct().toList()).getResultList().stream()
                .collect(Collectors.toMap(UserEntity::getId, UserEntity::getUsername, (a, b) -> a));
    }

}
