package wasched.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

class ArgumentParsingTest {
  @TempDir Path dir;

  private Map<String, String> env() {
    return Map.of("WASCHED_STATE_DIR", dir.toString(), "WASCHED_SERVER", "localhost:1");
  }

  @Test
  void short_durations_and_iso_durations_are_accepted_by_in() {
    var c = new Converters.DurationConverter();
    assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.convert("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(c.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(c.convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.convert("pt5m")).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void zero_negative_and_garbage_durations_are_rejected() {
    var c = new Converters.DurationConverter();
    for (String bad : new String[] {"0s", "-PT5S", "30", "5 minutes", "", "PTXS"}) {
      assertThatThrownBy(() -> c.convert(bad)).isInstanceOf(TypeConversionException.class);
    }
  }

  @Test
  void at_accepts_utc_and_offset_instants() {
    var c = new Converters.InstantConverter();
    assertThat(c.convert("2026-12-24T09:00:00Z")).isEqualTo(Instant.parse("2026-12-24T09:00:00Z"));
    assertThat(c.convert("2026-12-24T09:00:00+01:00"))
        .isEqualTo(Instant.parse("2026-12-24T08:00:00Z"));
    assertThatThrownBy(() -> c.convert("2026-12-24T09:00"))
        .isInstanceOf(TypeConversionException.class);
  }

  @Test
  void a_bad_at_value_exits_2_with_one_line_on_stderr() {
    var r =
        CliHarness.run(
            env(), "message", "schedule", "--to", "r1", "--body", "hi", "--at", "tomorrow");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("wasched: ").contains("--at").contains("tomorrow");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void two_ways_of_saying_when_is_a_usage_error() {
    var r =
        CliHarness.run(
            env(), "message", "schedule", "--to", "r1", "--body", "hi", "--in", "5m", "--at",
            "2026-12-24T09:00:00Z");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
  }

  @Test
  void an_unknown_time_zone_is_a_usage_error() {
    var r =
        CliHarness.run(
            env(), "message", "schedule", "--to", "r1", "--body", "hi", "--local-time",
            "2026-12-24T09:00", "--time-zone", "Mars/Olympus");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Mars/Olympus");
  }

  @Test
  void a_bare_id_becomes_a_resource_name_and_a_full_name_is_kept() {
    assertThat(Names.qualify("messages", "abc")).isEqualTo("messages/abc");
    assertThat(Names.qualify("messages", "messages/abc")).isEqualTo("messages/abc");
    assertThat(Names.qualify("recipients", " r-1 ")).isEqualTo("recipients/r-1");
  }

  @Test
  void a_name_from_another_collection_is_rejected_as_usage_error() {
    assertThatThrownBy(() -> Names.qualify("messages", "recipients/abc"))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
    assertThatThrownBy(() -> Names.qualify("messages", "messages/"))
        .isInstanceOf(CliException.class);
  }

  @Test
  void a_command_without_session_exits_3_with_not_logged_in() {
    var r = CliHarness.run(env(), "message", "get", "abc");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.errLines()).containsExactly("wasched: not logged in: run `wasched login`");
  }

  @Test
  void global_options_are_accepted_after_the_subcommand() {
    Path other = dir.resolve("other");
    var r =
        CliHarness.run(Map.of(), "recipient", "list", "--state-dir", other.toString(), "-o", "json");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("not logged in");
  }

  @Test
  void login_without_any_password_source_is_a_usage_error() {
    var r = CliHarness.run(env(), "login", "--username", "alice");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("--password-stdin");
  }

  @Test
  void there_is_no_password_option_that_takes_the_password_itself() {
    var r = CliHarness.run(env(), "login", "--username", "alice", "--password", "secret");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("secret\n").startsWith("wasched: ");
  }

  @Test
  void a_missing_subcommand_is_a_one_line_usage_error() {
    var r = CliHarness.run(env(), "message");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
  }

  @Test
  void help_goes_to_stdout_and_lists_the_nouns() {
    var r = CliHarness.run(env(), "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("login", "logout", "recipient", "message", "user", "health");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void missing_client_certificate_exits_5_naming_the_file() {
    var r =
        CliHarness.run(
            env(), java.time.Clock.systemUTC(), ChannelFactory.mutualTls(), "", "health");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains(dir.resolve("certs").resolve("ca.pem").toString());
  }

  @Test
  void the_public_entry_point_uses_the_given_streams_and_environment() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WaschedCli.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env(),
            "user",
            "list");
    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not logged in");
    assertThat(out.size()).isZero();
  }
}
