package wasched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production channel (Netty, TLS 1.3, client certificate) against a TLS-only fake server. */
class MutualTlsTest {
  @TempDir static Path dir;
  static FakeWasched server;
  static Path stateDir;

  @BeforeAll
  static void start() throws Exception {
    TestPki.Issued ca = TestPki.ca("wasched test CA");
    TestPki.Issued serverCert = TestPki.leaf(ca, "localhost", true);
    TestPki.Issued client = TestPki.leaf(ca, "wasched-cli", false);
    Path serverDir = dir.resolve("server");
    ca.writeCert(serverDir.resolve("ca.pem"));
    serverCert.writeCert(serverDir.resolve("server.pem"));
    serverCert.writeKey(serverDir.resolve("server-key.pem"));
    stateDir = dir.resolve("state");
    Path certs = stateDir.resolve("certs");
    ca.writeCert(certs.resolve("ca.pem"));
    client.writeCert(certs.resolve("client.pem"));
    client.writeKey(certs.resolve("client-key.pem"));
    TestPki.Issued stranger = TestPki.ca("some other CA");
    stranger.writeCert(dir.resolve("other-ca.pem"));

    SslContext tls =
        GrpcSslContexts.configure(
                io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(
                    serverDir.resolve("server.pem").toFile(),
                    serverDir.resolve("server-key.pem").toFile()))
            .trustManager(serverDir.resolve("ca.pem").toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .protocols("TLSv1.3")
            .build();
    server = new FakeWasched(Instant.now(), tls);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CliHarness.Result cli(String... args) {
    return CliHarness.run(
        Map.of("WASCHED_STATE_DIR", stateDir.toString(), "WASCHED_SERVER", server.target()),
        Clock.systemUTC(),
        ChannelFactory.mutualTls(),
        FakeWasched.PASSWORD + "\n",
        args);
  }

  @Test
  void health_over_mutual_tls_reports_serving() {
    var r = cli("health");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip()).isEqualTo("SERVING");
  }

  @Test
  void login_and_an_authenticated_call_work_over_mutual_tls() {
    var login = cli("login", "--username", "alice", "--password-stdin");
    assertThat(login.err()).isEmpty();
    assertThat(login.exitCode()).isZero();
    var get = cli("-o", "json", "message", "get", "m1");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).contains("\"name\": \"messages/m1\"");
  }

  @Test
  void a_server_certificate_from_an_unknown_ca_fails_the_handshake_with_exit_5() {
    var r = cli("--ca", dir.resolve("other-ca.pem").toString(), "health");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("wasched: UNAVAILABLE").contains("TLS handshake failed");
  }

  @Test
  void a_key_file_that_is_not_a_key_exits_5_naming_the_files() {
    var r = cli("--key", stateDir.resolve("certs/client.pem").toString(), "health");
    assertThat(r.exitCode()).isEqualTo(5);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("client.pem");
  }
}
