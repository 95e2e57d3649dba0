package wasched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
  @TempDir Path dir;

  private static Session sample() {
    return new Session(
        "access.jwt.token",
        Instant.parse("2026-12-04T16:00:00Z"),
        "refresh-opaque",
        Instant.parse("2026-12-11T15:30:00Z"),
        "users/alice",
        "admin",
        "localhost:8443");
  }

  @Test
  void the_session_file_is_created_owner_only_in_an_owner_only_directory() throws Exception {
    Path stateDir = dir.resolve("state");
    SessionStore store = new SessionStore(stateDir.resolve("cli-session.json"));
    store.save(sample());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)))
        .isEqualTo("rwx------");
    try (var files = Files.list(stateDir)) {
      assertThat(files).containsExactly(store.file());
    }
  }

  @Test
  void a_saved_session_loads_back_identically() throws Exception {
    SessionStore store = new SessionStore(dir.resolve("cli-session.json"));
    store.save(sample());
    assertThat(store.load()).contains(sample());
  }

  @Test
  void the_file_holds_the_documented_json_fields() throws Exception {
    SessionStore store = new SessionStore(dir.resolve("cli-session.json"));
    store.save(sample());
    String json = Files.readString(store.file());
    assertThat(json)
        .contains(
            "\"access_token\"", "\"access_token_expire_time\"", "\"refresh_token\"",
            "\"refresh_token_expire_time\"", "\"user\"", "\"role\"", "\"server\"",
            "2026-12-04T16:00:00Z");
  }

  @Test
  void saving_again_replaces_the_file_and_keeps_it_owner_only() throws Exception {
    SessionStore store = new SessionStore(dir.resolve("cli-session.json"));
    store.save(sample());
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));
    Session newer =
        new Session("a2", Instant.EPOCH, "r2", Instant.EPOCH, "users/bob", "user", "h:1");
    store.save(newer);
    assertThat(store.load()).contains(newer);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
        .isEqualTo("rw-------");
  }

  @Test
  void a_missing_file_means_no_session_and_delete_removes_it() throws Exception {
    SessionStore store = new SessionStore(dir.resolve("cli-session.json"));
    assertThat(store.load()).isEmpty();
    store.save(sample());
    assertThat(store.delete()).isTrue();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void a_corrupt_file_is_an_auth_error_telling_to_log_in_again() throws Exception {
    SessionStore store = new SessionStore(dir.resolve("cli-session.json"));
    Files.writeString(store.file(), "{not json");
    var failure = org.assertj.core.api.Assertions.catchThrowableOfType(CliException.class, store::load);
    assertThat(failure.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(failure.getMessage()).contains("wasched login");
  }

  @Test
  void to_string_never_reveals_the_tokens() {
    assertThat(sample().toString()).doesNotContain("access.jwt.token", "refresh-opaque");
  }

  @Test
  void expiry_checks_use_the_stored_times() {
    Session s = sample();
    assertThat(s.accessTokenExpired(Instant.parse("2026-12-04T15:00:00Z"))).isFalse();
    assertThat(s.accessTokenExpired(Instant.parse("2026-12-04T16:00:00Z"))).isTrue();
    assertThat(s.canRefresh(Instant.parse("2026-12-10T00:00:00Z"))).isTrue();
    assertThat(s.canRefresh(Instant.parse("2026-12-12T00:00:00Z"))).isFalse();
  }
}
