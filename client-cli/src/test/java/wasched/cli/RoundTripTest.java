package wasched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wasched.v1.ListMessagesResponse;
import wasched.v1.ScheduleMessageRequest;

/** Drives the CLI against a fake server over plaintext gRPC (mTLS is covered elsewhere). */
class RoundTripTest {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir Path dir;
  FakeWasched server;
  Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @BeforeEach
  void start() throws Exception {
    server = new FakeWasched(NOW, null);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private Map<String, String> env() {
    return Map.of("WASCHED_STATE_DIR", dir.toString(), "WASCHED_SERVER", server.target());
  }

  private CliHarness.Result cli(String stdin, String... args) {
    return CliHarness.run(env(), clock, CliHarness.PLAINTEXT, stdin, args);
  }

  private SessionStore store() {
    return new SessionStore(dir.resolve("cli-session.json"));
  }

  private void loggedInWith(String accessToken, Instant accessExpiry) throws Exception {
    store()
        .save(
            new Session(
                accessToken, accessExpiry, "refresh-1", NOW.plusSeconds(86400), "users/alice",
                "admin", server.target()));
  }

  @Test
  void login_reads_the_password_from_stdin_and_saves_an_owner_only_session() throws Exception {
    var r = cli(FakeWasched.PASSWORD + "\n", "login", "--username", "alice", "--password-stdin");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip())
        .isEqualTo("Logged in as alice (admin), token valid until 2026-12-04T12:30:00Z");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store().file())))
        .isEqualTo("rw-------");
    Session s = store().load().orElseThrow();
    assertThat(s.accessToken()).isEqualTo("access-1");
    assertThat(s.server()).isEqualTo(server.target());
  }

  @Test
  void login_takes_the_password_from_a_file_or_the_environment() throws Exception {
    Path file = dir.resolve("pw");
    Files.writeString(file, FakeWasched.PASSWORD + "\n");
    assertThat(cli("", "login", "--username", "alice", "--password-file", file.toString()).exitCode())
        .isZero();
    var withEnv =
        CliHarness.run(
            Map.of(
                "WASCHED_STATE_DIR", dir.toString(),
                "WASCHED_SERVER", server.target(),
                "WASCHED_PASSWORD", FakeWasched.PASSWORD),
            clock, CliHarness.PLAINTEXT, "", "login", "--username", "alice");
    assertThat(withEnv.exitCode()).isZero();
  }

  @Test
  void a_wrong_password_exits_3_with_one_line_and_no_session() {
    var r = cli("wrong\n", "login", "--username", "alice", "--password-stdin");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.errLines()).containsExactly("wasched: UNAUTHENTICATED: invalid credentials");
    assertThat(Files.exists(store().file())).isFalse();
  }

  @Test
  void schedule_in_30s_sends_now_plus_30s_with_a_bearer_token_and_a_uuid_request_id()
      throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r = cli("", "message", "schedule", "--to", "r1", "--body", "Hallo", "--in", "30s");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    ScheduleMessageRequest sent = server.scheduled.get(0);
    assertThat(sent.getRecipient()).isEqualTo("recipients/r1");
    assertThat(sent.getSendTime().getSeconds()).isEqualTo(NOW.getEpochSecond() + 30);
    assertThat(UUID.fromString(sent.getRequestId())).isNotNull();
    assertThat(server.authorizationHeaders).containsExactly("Bearer access-1");
    assertThat(r.out()).contains("name:", "messages/m1", "body:", "Hallo");
  }

  @Test
  void schedule_with_local_time_sends_wall_clock_time_and_zone() throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r =
        cli(
            "Line one\nLine two\n", "message", "schedule", "--to", "recipients/r1",
            "--body-file", "-", "--local-time", "2026-12-24T09:00", "--time-zone",
            "Europe/Berlin", "--request-id", "req-1");
    assertThat(r.exitCode()).isZero();
    ScheduleMessageRequest sent = server.scheduled.get(0);
    assertThat(sent.getLocalSendTime()).isEqualTo("2026-12-24T09:00");
    assertThat(sent.getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(sent.hasSendTime()).isFalse();
    assertThat(sent.getBody()).isEqualTo("Line one\nLine two");
    assertThat(sent.getRequestId()).isEqualTo("req-1");
  }

  @Test
  void an_access_token_expired_by_its_stored_expiry_is_refreshed_before_the_call()
      throws Exception {
    loggedInWith("access-1", NOW.minusSeconds(1));
    var r = cli("", "message", "get", "m1");
    assertThat(r.exitCode()).isZero();
    assertThat(server.refreshCount.get()).isEqualTo(1);
    assertThat(server.authorizationHeaders).containsExactly("Bearer access-2");
    Session saved = store().load().orElseThrow();
    assertThat(saved.accessToken()).isEqualTo("access-2");
    assertThat(saved.refreshToken()).isEqualTo("refresh-2");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store().file())))
        .isEqualTo("rw-------");
  }

  @Test
  void an_unauthenticated_reply_triggers_one_refresh_and_one_retry() throws Exception {
    loggedInWith("access-stale", NOW.plusSeconds(600));
    var r = cli("", "message", "get", "messages/m1");
    assertThat(r.exitCode()).isZero();
    assertThat(server.refreshCount.get()).isEqualTo(1);
    assertThat(server.authorizationHeaders)
        .containsExactly("Bearer access-stale", "Bearer access-2");
    assertThat(r.out()).contains("messages/m1", "Frohe Weihnachten!", "Europe/Berlin");
  }

  @Test
  void a_revoked_refresh_token_exits_3_asking_to_log_in() throws Exception {
    loggedInWith("access-stale", NOW.plusSeconds(600));
    server.validRefreshToken.set("something-else");
    var r = cli("", "message", "get", "m1");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("wasched login");
  }

  @Test
  void not_found_exits_4_with_one_line() throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r = cli("", "message", "get", "missing");
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.errLines())
        .containsExactly("wasched: NOT_FOUND: message not found: messages/missing");
  }

  @Test
  void field_violations_from_the_server_are_shown_on_the_error_line() throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r = cli("", "recipient", "add", "--phone", "0151", "--name", "Oma");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly(
            "wasched: INVALID_ARGUMENT: invalid recipient; recipient.phone_number: not a valid"
                + " phone number");
  }

  @Test
  void list_all_as_json_merges_every_page_into_one_document() throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r = cli("", "-o", "json", "message", "list", "--all");
    assertThat(r.exitCode()).isZero();
    ListMessagesResponse.Builder parsed = ListMessagesResponse.newBuilder();
    JsonFormat.parser().merge(r.out(), parsed);
    assertThat(parsed.getMessagesList()).extracting(m -> m.getName())
        .containsExactly("messages/m1", "messages/m2");
    assertThat(parsed.getNextPageToken()).isEmpty();
  }

  @Test
  void list_without_all_prints_one_page_as_a_table_with_a_hint() throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r = cli("", "message", "list", "--state", "scheduled");
    assertThat(r.exitCode()).isZero();
    var lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("NAME").contains("STATE");
    assertThat(lines.get(1)).startsWith("messages/m1").contains("scheduled", "2026-12-24T08:00:00Z");
    assertThat(lines.get(2)).contains("--page-token page-2");
  }

  @Test
  void health_needs_no_login_and_prints_serving() {
    var r = cli("", "health");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip()).isEqualTo("SERVING");
  }

  @Test
  void logout_revokes_the_refresh_token_and_deletes_the_session() throws Exception {
    loggedInWith("access-1", NOW.plusSeconds(600));
    var r = cli("", "logout");
    assertThat(r.exitCode()).isZero();
    assertThat(server.loggedOut).containsExactly("refresh-1");
    assertThat(Files.exists(store().file())).isFalse();
  }

  @Test
  void a_session_for_another_server_is_not_used() throws Exception {
    store()
        .save(
            new Session(
                "access-1", NOW.plusSeconds(600), "refresh-1", NOW.plusSeconds(86400),
                "users/alice", "admin", "elsewhere:8443"));
    var r = cli("", "message", "get", "m1");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(server.authorizationHeaders).isEmpty();
  }

  @Test
  void a_server_that_is_not_there_exits_5() throws Exception {
    server.close();
    var r = cli("", "--timeout", "2", "health");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("wasched: UNAVAILABLE");
  }
}
