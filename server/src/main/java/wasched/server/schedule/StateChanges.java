package wasched.server.schedule;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Map;
import wasched.server.persistence.MessageEntity;
import wasched.server.persistence.MessageTransitionEntity;

/** The only way a message changes state: sets the state and records the transition in the same transaction. */
public final class StateChanges {
    /** Delivery progress; a status report never moves a message backwards in this order. */
    private static final Map<String, Integer> PROGRESS = Map.of(
            "SCHEDULED", 0, "SENDING", 1, "SENT", 2, "DELIVERED", 3, "READ", 4, "FAILED", 5, "CANCELLED", 5);

    private StateChanges() {}

    public static void move(EntityManager em, MessageEntity m, String to, Instant now, String actor, String detail) {
        String from = m.getState();
        m.setState(to);
        m.setUpdatedAt(now);
        em.persist(new MessageTransitionEntity(m.getId(), from, to, now, actor, detail));
    }

    /** True if {@code to} is further along than {@code from} (terminal states accept nothing). */
    public static boolean advances(String from, String to) {
        if ("FAILED".equals(from) || "CANCELLED".equals(from)) {
            return false;
        }
        return PROGRESS.get(to) > PROGRESS.get(from);
    }
}
