package wasched.cli;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Runs the CLI in-process with captured streams. */
final class CliHarness {
  /** What a run printed and returned. */
  record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  /** A channel factory without TLS, for fake servers in tests. */
  static final ChannelFactory PLAINTEXT =
      (target, tls) -> NettyChannelBuilder.forTarget(target).usePlaintext().build();

  private CliHarness() {}

  static Result run(Map<String, String> env, String... args) {
    return run(env, Clock.systemUTC(), PLAINTEXT, "", args);
  }

  static Result run(
      Map<String, String> env, Clock clock, ChannelFactory channels, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = WaschedCli.execute(new CliRuntime(in, o, e, env, clock, channels), args);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
