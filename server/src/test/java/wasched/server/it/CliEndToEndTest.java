package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.cli.WaschedCli;
import wasched.v1.CreateRecipientResponse;
import wasched.v1.GetMessageResponse;
import wasched.v1.MessageState;
import wasched.v1.ScheduleMessageResponse;

/** The README's CLI session against a real server: login, add a recipient, schedule, see it delivered. */
class CliEndToEndTest {
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    record Run(int exit, String out, String err) {}

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of(
                "WASCHED_SERVER", "localhost:" + ts.server.grpcPort(),
                "WASCHED_STATE_DIR", ts.stateDir.toString(),
                "WASCHED_PASSWORD", TestServer.ADMIN_PASSWORD);
        int exit = WaschedCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static <T extends com.google.protobuf.Message.Builder> T json(Run run, T builder) throws Exception {
        assertThat(run.exit()).as(run.err()).isZero();
        JsonFormat.parser().merge(run.out(), builder);
        return builder;
    }

    @Test
    void the_readme_session_delivers_a_message() throws Exception {
        assertThat(cli("health").exit()).isZero();
        Run login = cli("login", "--username", "admin");
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(Files.getPosixFilePermissions(ts.stateDir.resolve("cli-session.json")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        String recipient = json(cli("-o", "json", "recipient", "add", "--phone", "+49 151 2345 6789",
                "--name", "Anna Müller"), CreateRecipientResponse.newBuilder()).getRecipient().getName();
        String message = json(cli("-o", "json", "message", "schedule", "--to", recipient, "--body", "Hello Anna",
                "--in", "2s"), ScheduleMessageResponse.newBuilder()).getMessage().getName();

        Run table = cli("message", "list");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains(message.substring("messages/".length()));

        ts.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> json(cli("-o", "json", "message", "get", message),
                GetMessageResponse.newBuilder()).getMessage().getState() == MessageState.MESSAGE_STATE_DELIVERED);
        assertThat(ts.server.simulator().received()).anyMatch(m -> m.to().equals("+4915123456789")
                && m.body().equals("Hello Anna"));
    }

    @Test
    void a_message_is_rescheduled_and_an_opt_out_cancels_it() throws Exception {
        assertThat(cli("login", "--username", "admin").exit()).isZero();
        String recipient = json(cli("-o", "json", "recipient", "add", "--phone", "+46 70 123 45 67",
                "--name", "Sven Berg"), CreateRecipientResponse.newBuilder()).getRecipient().getName();
        String message = json(cli("-o", "json", "message", "schedule", "--to", recipient, "--body", "Hej",
                "--in", "1h"), ScheduleMessageResponse.newBuilder()).getMessage().getName();
        var moved = json(cli("-o", "json", "message", "reschedule", message, "--in", "2h", "--time-zone",
                "Europe/Stockholm"), wasched.v1.RescheduleMessageResponse.newBuilder()).getMessage();
        assertThat(moved.getTimeZone()).isEqualTo("Europe/Stockholm");

        Run optOut = cli("recipient", "opt-out", recipient);
        assertThat(optOut.exit()).as(optOut.err()).isZero();
        assertThat(optOut.out()).containsPattern("opted out:\\s+yes");
        assertThat(json(cli("-o", "json", "message", "get", message), GetMessageResponse.newBuilder())
                .getMessage().getState()).isEqualTo(MessageState.MESSAGE_STATE_CANCELLED);
        Run late = cli("message", "reschedule", message, "--in", "3h");
        assertThat(late.exit()).isNotZero();
        assertThat(late.err()).startsWith("wasched: FAILED_PRECONDITION");
    }

    @Test
    void an_admin_creates_locks_and_unlocks_a_user() throws Exception {
        assertThat(cli("login", "--username", "admin").exit()).isZero();
        var passwordFile = ts.stateDir.resolve("mia-password");
        Files.writeString(passwordFile, "mia-password-long-enough");
        Run created = cli("user", "create", "--username", "mia", "--role", "viewer", "--password-file",
                passwordFile.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("users/mia").contains("viewer");
        assertThat(cli("user", "lock", "mia").out()).containsPattern("locked:\\s+yes");
        assertThat(cli("user", "unlock", "users/mia").out()).containsPattern("locked:\\s+no");
        assertThat(cli("user", "unlock", "nobody").exit()).isEqualTo(4);
    }

    @Test
    void a_bad_phone_number_fails_with_one_line_naming_the_field() {
        assertThat(cli("login", "--username", "admin").exit()).isZero();
        Run bad = cli("recipient", "add", "--phone", "12", "--name", "Nobody");
        assertThat(bad.exit()).isNotZero();
        List<String> lines = new ArrayList<>(bad.err().lines().toList());
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("wasched: INVALID_ARGUMENT").contains("recipient.phone_number");
    }
}
