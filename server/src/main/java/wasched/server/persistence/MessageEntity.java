package wasched.server.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A scheduled message row; the body holds sealed ciphertext. State names match {@code MessageState}. */
@Entity
@Table(name = "messages")
public class MessageEntity {
    @Id
    private UUID id;
    @Column(name = "owner_id", nullable = false)
    private UUID ownerId;
    @Column(name = "recipient_id", nullable = false)
    private UUID recipientId;
    @Column(name = "body_ct", nullable = false)
    private String bodyCiphertext;
    @Column(name = "send_at", nullable = false)
    private Instant sendAt;
    @Column(name = "time_zone", nullable = false)
    private String timeZone;
    @Column(nullable = false)
    private String state;
    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;
    @Column(name = "attempt_count")
    private int attemptCount;
    @Column(name = "lease_owner")
    private String leaseOwner;
    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;
    @Column(name = "provider_message_id")
    private String providerMessageId;
    @Column(name = "last_error")
    private String lastError;
    @Column(name = "request_id")
    private String requestId;
    @Column(name = "deleted_at")
    private Instant deletedAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Version
    private long version;

    protected MessageEntity() {}

    public MessageEntity(UUID id, UUID ownerId, UUID recipientId, String bodyCiphertext, Instant sendAt,
            String timeZone, String requestId, Instant now) {
        this.id = id;
        this.ownerId = ownerId;
        this.recipientId = recipientId;
        this.bodyCiphertext = bodyCiphertext;
        this.sendAt = sendAt;
        this.timeZone = timeZone;
        this.state = "SCHEDULED";
        this.nextAttemptAt = sendAt;
        this.requestId = requestId;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public UUID getId() { return id; }
    public UUID getOwnerId() { return ownerId; }
    public UUID getRecipientId() { return recipientId; }
    public String getBodyCiphertext() { return bodyCiphertext; }
    public Instant getSendAt() { return sendAt; }
    public void setSendAt(Instant sendAt) { this.sendAt = sendAt; }
    public String getTimeZone() { return timeZone; }
    public void setTimeZone(String timeZone) { this.timeZone = timeZone; }
    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public Instant getNextAttemptAt() { return nextAttemptAt; }
    public void setNextAttemptAt(Instant nextAttemptAt) { this.nextAttemptAt = nextAttemptAt; }
    public int getAttemptCount() { return attemptCount; }
    public void setAttemptCount(int attemptCount) { this.attemptCount = attemptCount; }
    public String getLeaseOwner() { return leaseOwner; }
    public void setLeaseOwner(String leaseOwner) { this.leaseOwner = leaseOwner; }
    public Instant getLeaseExpiresAt() { return leaseExpiresAt; }
    public void setLeaseExpiresAt(Instant leaseExpiresAt) { this.leaseExpiresAt = leaseExpiresAt; }
    public String getProviderMessageId() { return providerMessageId; }
    public void setProviderMessageId(String providerMessageId) { this.providerMessageId = providerMessageId; }
    public String getLastError() { return lastError; }
    public void setLastError(String lastError) { this.lastError = lastError; }
    public String getRequestId() { return requestId; }
    public Instant getDeletedAt() { return deletedAt; }
    public void setDeletedAt(Instant deletedAt) { this.deletedAt = deletedAt; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(Instant updatedAt) { this.updatedAt = updatedAt; }
}
