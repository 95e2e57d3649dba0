package wasched.server.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A recipient row. Phone and name hold sealed ciphertext; the repository seals and opens them. */
@Entity
@Table(name = "recipients")
public class RecipientEntity {
    @Id
    private UUID id;
    @Column(name = "owner_id", nullable = false)
    private UUID ownerId;
    @Column(name = "phone_ct", nullable = false)
    private String phoneCiphertext;
    @Column(name = "phone_index", nullable = false)
    private String phoneIndex;
    @Column(name = "name_ct", nullable = false)
    private String nameCiphertext;
    @Column(name = "opted_out")
    private boolean optedOut;
    @Column(name = "request_id")
    private String requestId;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Version
    private long version;

    protected RecipientEntity() {}

    public RecipientEntity(UUID id, UUID ownerId, String phoneCiphertext, String phoneIndex, String nameCiphertext,
            String requestId, Instant now) {
        this.id = id;
        this.ownerId = ownerId;
        this.phoneCiphertext = phoneCiphertext;
        this.phoneIndex = phoneIndex;
        this.nameCiphertext = nameCiphertext;
        this.requestId = requestId;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public UUID getId() { return id; }
    public UUID getOwnerId() { return ownerId; }
    public String getPhoneCiphertext() { return phoneCiphertext; }
    public String getPhoneIndex() { return phoneIndex; }
    public String getNameCiphertext() { return nameCiphertext; }
    public boolean isOptedOut() { return optedOut; }
    public void setOptedOut(boolean optedOut) { this.optedOut = optedOut; }
    public void setUpdatedAt(Instant updatedAt) { this.updatedAt = updatedAt; }
    public String getRequestId() { return requestId; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
}
