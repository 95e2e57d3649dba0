package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static wasched.server.it.Grpc.violatedFields;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.Recipient;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;

class ValidationTest {
    static TestServer ts;
    static String user;
    static String recipient;

    @BeforeAll
    static void start() {
        ts = new TestServer();
        user = ts.userToken("vera", Role.ROLE_USER);
        recipient = ts.createRecipient(user, "+44 7911 123456", "Eve Smith");
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static Timestamp in(Duration d) {
        Instant t = ts.clock.instant().plus(d);
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    static ScheduleMessageRequest.Builder valid() {
        return ScheduleMessageRequest.newBuilder().setRecipient(recipient).setBody("hello")
                .setSendTime(in(Duration.ofMinutes(5)));
    }

    @Test
    void an_invalid_phone_number_names_the_phone_field() {
        assertThat(violatedFields(() -> ts.recipients(user).createRecipient(CreateRecipientRequest.newBuilder()
                .setRecipient(Recipient.newBuilder().setPhoneNumber("+1 000").setDisplayName("Al")).build())))
                .containsExactly("recipient.phone_number");
    }

    @Test
    void a_name_with_digits_or_markup_names_the_name_field() {
        assertThat(violatedFields(() -> ts.recipients(user).createRecipient(CreateRecipientRequest.newBuilder()
                .setRecipient(Recipient.newBuilder().setPhoneNumber("+44 7911 123457")
                        .setDisplayName("<b>R2D2</b>")).build())))
                .containsExactly("recipient.display_name");
    }

    @Test
    void a_login_names_exactly_the_fields_that_are_missing() {
        var auth = wasched.v1.AuthServiceGrpc.newBlockingStub(ts.channel())
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(violatedFields(() -> auth.login(wasched.v1.LoginRequest.newBuilder().setUsername("vera").build())))
                .containsExactly("password");
        assertThat(violatedFields(() -> auth.login(wasched.v1.LoginRequest.newBuilder().setPassword("x").build())))
                .containsExactly("username");
        assertThat(violatedFields(() -> auth.login(wasched.v1.LoginRequest.getDefaultInstance())))
                .containsExactly("username", "password");
    }

    @Test
    void an_empty_body_names_the_body_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid().setBody("").build())))
                .containsExactly("body");
    }

    @Test
    void a_body_over_4096_characters_names_the_body_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid().setBody("x".repeat(4097))
                .build()))).containsExactly("body");
    }

    @Test
    void a_body_of_exactly_4096_characters_is_accepted() {
        assertThat(ts.scheduling(user).scheduleMessage(valid().setBody("y".repeat(4096)).build())
                .getMessage().getBody()).hasSize(4096);
    }

    @Test
    void a_script_tag_in_the_body_names_the_body_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid()
                .setBody("hi <SCRIPT src=x></script>").build()))).containsExactly("body");
    }

    @Test
    void html_outside_the_allowlist_is_refused_but_allowed_tags_pass() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid()
                .setBody("<img src=x onerror=alert(1)>").build()))).containsExactly("body");
        assertThat(ts.scheduling(user).scheduleMessage(valid().setBody("<b>bold</b> and a < b").build())
                .getMessage().getBody()).isEqualTo("<b>bold</b> and a < b");
    }

    @Test
    void a_send_time_in_the_past_names_the_send_time_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid()
                .setSendTime(in(Duration.ofMinutes(-1))).build()))).containsExactly("send_time");
    }

    @Test
    void a_missing_send_time_names_the_send_time_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid().clearSendTime().build())))
                .containsExactly("send_time");
    }

    @Test
    void an_unknown_time_zone_names_the_time_zone_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid().setTimeZone("Mars/Olympus")
                .build()))).containsExactly("time_zone");
    }

    @Test
    void a_malformed_recipient_name_names_the_recipient_field() {
        assertThat(violatedFields(() -> ts.scheduling(user).scheduleMessage(valid().setRecipient("bob").build())))
                .containsExactly("recipient");
    }

    @Test
    void a_local_time_in_the_spring_forward_gap_moves_forward_by_the_gap() {
        int year = ts.clock.instant().atZone(java.time.ZoneOffset.UTC).getYear() + 1;
        // Europe/Berlin skips 02:00-03:00 on the last Sunday of March.
        java.time.LocalDate lastSunday = java.time.LocalDate.of(year, 3, 31)
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.SUNDAY));
        var m = ts.scheduling(user).scheduleMessage(valid().clearSendTime()
                .setLocalSendTime(lastSunday + "T02:30").setTimeZone("Europe/Berlin").build()).getMessage();
        assertThat(m.getLocalSendTime()).isEqualTo(lastSunday + "T03:30");
        assertThat(Instant.ofEpochSecond(m.getSendTime().getSeconds()))
                .isEqualTo(java.time.ZonedDateTime.of(lastSunday, java.time.LocalTime.of(1, 30),
                        java.time.ZoneOffset.UTC).toInstant());
    }

    @Test
    void a_retried_schedule_with_the_same_request_id_returns_the_first_message() {
        var first = ts.scheduling(user).scheduleMessage(valid().setRequestId("retry-1").build()).getMessage();
        var again = ts.scheduling(user).scheduleMessage(valid().setRequestId("retry-1").build()).getMessage();
        assertThat(again.getName()).isEqualTo(first.getName());
    }
}
