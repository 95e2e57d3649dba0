package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.simulator.ReceivedMessage;
import wasched.v1.CancelMessageRequest;
import wasched.v1.GetMessageRequest;
import wasched.v1.Message;
import wasched.v1.MessageState;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;

class EndToEndTest {
    static TestServer ts;
    static String user;

    @BeforeAll
    static void start() {
        ts = new TestServer();
        ts.userToken("alice", Role.ROLE_USER);
    }

    /** A fresh token per test: tests move the clock by many minutes and tokens live 30. */
    @org.junit.jupiter.api.BeforeEach
    void login() {
        user = ts.login("alice", "pw-alice-long-enough");
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String recipient(String phone, String name) {
        return ts.createRecipient(user, phone, name);
    }

    static Timestamp in(Duration d) {
        Instant t = ts.clock.instant().plus(d);
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    @Test
    void a_scheduled_message_is_sent_once_and_reported_delivered() {
        String recipient = recipient("+49 151 2345 6789", "Anna Müller");
        String body = "Your appointment is tomorrow at 10:00 " + java.util.UUID.randomUUID();
        Message scheduled = ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody(body).setSendTime(in(Duration.ofSeconds(1)))
                .setTimeZone("Europe/Berlin").build()).getMessage();
        assertThat(scheduled.getState()).isEqualTo(MessageState.MESSAGE_STATE_SCHEDULED);

        Instant dueReached = Instant.now();
        ts.advance(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> received(body) > 0);

        ReceivedMessage got = ts.server.simulator().received().stream().filter(m -> m.body().equals(body))
                .findFirst().orElseThrow();
        // A figure for the record, not an assertion: tests assert behaviour, never timings.
        System.out.println("send time reached -> simulator receipt: "
                + Duration.between(dueReached, got.receivedAt()).toMillis() + " ms");
        assertThat(got.to()).isEqualTo("+4915123456789");
        await().atMost(Duration.ofSeconds(10)).until(() -> get(scheduled.getName()).getState()
                == MessageState.MESSAGE_STATE_DELIVERED);
        Message delivered = get(scheduled.getName());
        assertThat(delivered.getProviderMessageId()).isEqualTo(got.wamid());
        assertThat(delivered.getAttemptCount()).isEqualTo(1);
        // Time passes, the dispatcher keeps polling: still exactly one send.
        ts.advance(Duration.ofMinutes(5));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> received(body) == 1);
    }

    @Test
    void a_message_cancelled_before_its_send_time_is_never_sent() {
        String recipient = recipient("+33 6 12 34 56 78", "Jean Dupont");
        String body = "cancel me " + java.util.UUID.randomUUID();
        Message m = ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody(body).setSendTime(in(Duration.ofMinutes(10))).build()).getMessage();
        Message cancelled = ts.scheduling(user).cancelMessage(
                CancelMessageRequest.newBuilder().setName(m.getName()).build()).getMessage();
        assertThat(cancelled.getState()).isEqualTo(MessageState.MESSAGE_STATE_CANCELLED);

        ts.advance(Duration.ofMinutes(11));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> received(body) == 0);
        assertThat(get(m.getName()).getState()).isEqualTo(MessageState.MESSAGE_STATE_CANCELLED);
    }

    @Test
    void a_rescheduled_message_goes_out_at_its_new_time_and_not_its_old_one() {
        String recipient = recipient("+31 6 12345678", "Femke de Vries");
        String body = "moved " + java.util.UUID.randomUUID();
        Message m = ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody(body).setSendTime(in(Duration.ofMinutes(1))).build()).getMessage();
        Message moved = ts.scheduling(user).rescheduleMessage(wasched.v1.RescheduleMessageRequest.newBuilder()
                .setName(m.getName()).setSendTime(in(Duration.ofMinutes(20))).setTimeZone("Europe/Amsterdam")
                .build()).getMessage();
        assertThat(moved.getTimeZone()).isEqualTo("Europe/Amsterdam");
        assertThat(moved.getSendTime().getSeconds() - m.getSendTime().getSeconds()).isEqualTo(19 * 60);

        ts.advance(Duration.ofMinutes(2));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> received(body) == 0);
        ts.advance(Duration.ofMinutes(19));
        await().atMost(Duration.ofSeconds(10)).until(() -> received(body) == 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> get(m.getName()).getState()
                == MessageState.MESSAGE_STATE_DELIVERED);
        Grpc.failure(() -> ts.scheduling(user).rescheduleMessage(wasched.v1.RescheduleMessageRequest.newBuilder()
                .setName(m.getName()).setSendTime(in(Duration.ofMinutes(5))).build()),
                io.grpc.Status.Code.FAILED_PRECONDITION);
        assertThat(Grpc.violatedFields(() -> ts.scheduling(user).rescheduleMessage(
                wasched.v1.RescheduleMessageRequest.newBuilder().setName(m.getName())
                        .setSendTime(in(Duration.ofMinutes(-5))).build()))).containsExactly("send_time");
    }

    @Test
    void an_opt_out_cancels_pending_messages_and_refuses_new_ones() {
        String recipient = recipient("+43 664 1234567", "Sepp Huber");
        String body = "opted out " + java.util.UUID.randomUUID();
        Message pending = ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody(body).setSendTime(in(Duration.ofMinutes(10))).build()).getMessage();

        var optedOut = ts.recipients(user).optOutRecipient(wasched.v1.OptOutRecipientRequest.newBuilder()
                .setName(recipient).build()).getRecipient();
        assertThat(optedOut.getOptedOut()).isTrue();
        assertThat(get(pending.getName()).getState()).isEqualTo(MessageState.MESSAGE_STATE_CANCELLED);
        Grpc.failure(() -> ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody("again").setSendTime(in(Duration.ofMinutes(10))).build()),
                io.grpc.Status.Code.FAILED_PRECONDITION);

        ts.advance(Duration.ofMinutes(11));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> received(body) == 0);
    }

    @Test
    void only_an_admin_deletes_a_message_which_vanishes_is_never_sent_and_is_purged_after_retention()
            throws Exception {
        String recipient = recipient("+351 912 345 678", "Rui Costa");
        String body = "deleted " + java.util.UUID.randomUUID();
        Message m = ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody(body).setSendTime(in(Duration.ofMinutes(10))).build()).getMessage();
        var delete = wasched.v1.DeleteMessageRequest.newBuilder().setName(m.getName()).build();
        Grpc.failure(() -> ts.scheduling(user).deleteMessage(delete), io.grpc.Status.Code.PERMISSION_DENIED);

        String admin = ts.adminToken();
        ts.scheduling(admin).deleteMessage(delete);
        Grpc.failure(() -> get(m.getName()), io.grpc.Status.Code.NOT_FOUND);
        assertThat(ts.scheduling(user).listMessages(wasched.v1.ListMessagesRequest.getDefaultInstance())
                .getMessagesList()).noneMatch(x -> x.getName().equals(m.getName()));
        ts.advance(Duration.ofMinutes(11));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> received(body) == 0);

        var adminApi = wasched.v1.AdminServiceGrpc.newBlockingStub(ts.channel())
                .withCallCredentials(TestServer.bearer(admin)).withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(adminApi.runRetention(wasched.v1.RunRetentionRequest.getDefaultInstance()).getPurgedMessages())
                .isZero();
        ts.clock.advance(Duration.ofDays(91));
        var adminLater = wasched.v1.AdminServiceGrpc.newBlockingStub(ts.channel())
                .withCallCredentials(TestServer.bearer(ts.adminToken()))
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(adminLater.runRetention(wasched.v1.RunRetentionRequest.getDefaultInstance()).getPurgedMessages())
                .isGreaterThanOrEqualTo(1);
        try (var c = ts.server.database().dataSource().getConnection();
                var ps = c.prepareStatement("SELECT count(*) FROM messages WHERE id = ?")) {
            ps.setObject(1, java.util.UUID.fromString(m.getName().substring("messages/".length())));
            var rs = ps.executeQuery();
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    static long received(String body) {
        return ts.server.simulator().received().stream().filter(r -> r.body().equals(body)).count();
    }

    static Message get(String name) {
        return ts.scheduling(user).getMessage(GetMessageRequest.newBuilder().setName(name).build()).getMessage();
    }
}
