package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.server.crypto.BlindIndex;
import wasched.server.crypto.FieldCipher;
import wasched.server.crypto.Keyring;
import wasched.server.dispatch.DeliveryStore;
import wasched.server.recipient.RecipientDirectory;
import wasched.server.schedule.MessageScheduler;
import wasched.server.security.MutableClock;
import wasched.v1.GetMessageRequest;
import wasched.v1.MessageState;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;

/**
 * Two dispatcher nodes on one database. The nodes' clocks run an hour ahead of the server's own
 * dispatcher, so only they see these messages as due.
 */
class ClaimTest {
    static TestServer ts;
    static String user;
    static String recipient;
    static MutableClock nodeClock;

    @BeforeAll
    static void start() {
        ts = new TestServer();
        user = ts.userToken("nina", Role.ROLE_USER);
        recipient = ts.createRecipient(user, "+39 312 345 6789", "Gia");
        nodeClock = new MutableClock(ts.clock.instant().plus(Duration.ofHours(1)));
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static DeliveryStore node() {
        var tx = ts.server.database().transactions();
        Keyring keyring = Keyring.loadOrCreate(ts.stateDir.resolve("keys").resolve("keyring.json"));
        FieldCipher cipher = new FieldCipher(keyring);
        var recipients = new RecipientDirectory(tx, cipher, new BlindIndex(keyring), nodeClock);
        var messages = new MessageScheduler(tx, cipher, recipients, nodeClock);
        return new DeliveryStore(tx, ts.server.database().dataSource(), recipients, messages, nodeClock);
    }

    static List<String> scheduleDue(int n) {
        List<String> names = new ArrayList<>();
        Instant at = ts.clock.instant().plus(Duration.ofMinutes(30));
        for (int i = 0; i < n; i++) {
            names.add(ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                    .setRecipient(recipient).setBody("claim " + i)
                    .setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).build())
                    .getMessage().getName());
        }
        return names;
    }

    @Test
    void two_nodes_claiming_at_once_never_take_the_same_message() {
        scheduleDue(40);
        DeliveryStore a = node();
        DeliveryStore b = node();
        Set<UUID> seen = new HashSet<>();
        int total = 0;
        for (int round = 0; round < 10; round++) {
            var fa = CompletableFuture.supplyAsync(() -> a.claim("node-a", 7, Duration.ofMinutes(5)));
            var fb = CompletableFuture.supplyAsync(() -> b.claim("node-b", 7, Duration.ofMinutes(5)));
            for (var claim : fa.join()) {
                assertThat(seen.add(claim.messageId())).as("claimed twice: " + claim.messageId()).isTrue();
                total++;
            }
            for (var claim : fb.join()) {
                assertThat(seen.add(claim.messageId())).as("claimed twice: " + claim.messageId()).isTrue();
                total++;
            }
        }
        assertThat(total).isEqualTo(40);
        assertThat(a.claim("node-a", 10, Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void a_crashed_nodes_claim_is_taken_over_after_its_lease_expires() {
        String name = scheduleDue(1).get(0);
        UUID id = UUID.fromString(name.substring("messages/".length()));
        DeliveryStore crashed = node();
        DeliveryStore survivor = node();
        assertThat(crashed.claim("crashed", 100, Duration.ofSeconds(30))).extracting(c -> c.messageId())
                .contains(id);
        assertThat(survivor.claim("survivor", 100, Duration.ofSeconds(30))).extracting(c -> c.messageId())
                .doesNotContain(id);

        nodeClock.advance(Duration.ofSeconds(31));
        var retaken = survivor.claim("survivor", 100, Duration.ofSeconds(30));
        assertThat(retaken).extracting(c -> c.messageId()).contains(id);
        assertThat(retaken.stream().filter(c -> c.messageId().equals(id)).findFirst().orElseThrow().attempt())
                .isEqualTo(2);

        // The crashed node's late answer must not override the new owner.
        crashed.markSent(id, "crashed", "wamid.late");
        survivor.markSent(id, "survivor", "wamid.survivor");
        var m = ts.scheduling(ts.adminToken()).getMessage(GetMessageRequest.newBuilder().setName(name).build())
                .getMessage();
        assertThat(m.getState()).isEqualTo(MessageState.MESSAGE_STATE_SENT);
        assertThat(m.getProviderMessageId()).isEqualTo("wamid.late");
    }

    @Test
    void status_reports_apply_in_any_order_only_move_forward_and_match_by_callback() throws Exception {
        List<String> names = scheduleDue(2);
        UUID first = UUID.fromString(names.get(0).substring("messages/".length()));
        UUID second = UUID.fromString(names.get(1).substring("messages/".length()));
        DeliveryStore store = node();
        var claimed = store.claim("node-s", 100, Duration.ofMinutes(5)).stream().map(c -> c.messageId()).toList();
        assertThat(claimed).contains(first, second);
        store.markSent(first, "node-s", "wamid.first");

        int matched = store.applyStatuses(List.of(
                new DeliveryStore.StatusReport("wamid.first", null, "read", null),
                new DeliveryStore.StatusReport("wamid.first", null, "delivered", null),
                new DeliveryStore.StatusReport("wamid.first", null, "delivered", null),
                new DeliveryStore.StatusReport("wamid.unknown", null, "delivered", null),
                // Overtakes the send's own answer: found by its callback id, gains the wamid.
                new DeliveryStore.StatusReport("wamid.second", second, "delivered", null)));
        assertThat(matched).isEqualTo(4);
        store.markSent(second, "node-s", "wamid.second");

        assertThat(transitions(first)).containsExactly("SCHEDULED", "SENDING", "SENT", "READ");
        assertThat(transitions(second)).containsExactly("SCHEDULED", "SENDING", "DELIVERED");
        var admin = ts.scheduling(ts.adminToken());
        var m2 = admin.getMessage(GetMessageRequest.newBuilder().setName(names.get(1)).build()).getMessage();
        assertThat(m2.getState()).isEqualTo(MessageState.MESSAGE_STATE_DELIVERED);
        assertThat(m2.getProviderMessageId()).isEqualTo("wamid.second");
    }

    static List<String> transitions(UUID id) throws Exception {
        try (var c = ts.server.database().dataSource().getConnection();
                var ps = c.prepareStatement("SELECT to_state FROM message_transitions WHERE message_id = ? ORDER BY id")) {
            ps.setObject(1, id);
            var rs = ps.executeQuery();
            List<String> states = new ArrayList<>();
            while (rs.next()) {
                states.add(rs.getString(1));
            }
            return states;
        }
    }
}
