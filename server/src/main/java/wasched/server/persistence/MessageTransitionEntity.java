package wasched.server.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One recorded state change of a message. */
@Entity
@Table(name = "message_transitions")
public class MessageTransitionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "message_id", nullable = false)
    private UUID messageId;
    @Column(name = "from_state")
    private String fromState;
    @Column(name = "to_state", nullable = false)
    private String toState;
    @Column(nullable = false)
    private Instant at;
    @Column(nullable = false)
    private String actor;
    private String detail;

    protected MessageTransitionEntity() {}

    public MessageTransitionEntity(UUID messageId, String fromState, String toState, Instant at, String actor,
            String detail) {
        this.messageId = messageId;
        this.fromState = fromState;
        this.toState = toState;
        this.at = at;
        this.actor = actor;
        this.detail = detail;
    }

    public UUID getMessageId() { return messageId; }
    public String getFromState() { return fromState; }
    public String getToState() { return toState; }
    public Instant getAt() { return at; }
    public String getActor() { return actor; }
    public String getDetail() { return detail; }
}
