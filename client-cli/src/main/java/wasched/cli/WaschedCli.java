package wasched.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** Entry point of the {@code wasched} command line. */
public final class WaschedCli {
  private WaschedCli() {}

  /**
   * Runs the CLI with the given streams and environment; returns the exit code. Never calls
   * System.exit.
   */
  public static int execute(
      PrintStream out, PrintStream err, Map<String, String> env, String... args) {
    return execute(
        new CliRuntime(System.in, out, err, copy(env), Clock.systemUTC(),
            ChannelFactory.mutualTls()),
        args);
  }

  /** Runs the CLI in the given surroundings (tests swap stdin, the clock or the channel). */
  static int execute(CliRuntime runtime, String... args) {
    PrintStream err = runtime.err();
    try {
      CommandLine cli = commandLine(runtime);
      return cli.execute(args);
    } catch (RuntimeException | Error e) {
      err.println("wasched: internal error: " + ErrorFormatter.oneLine(ErrorFormatter.rootMessage(e)));
      return ExitCodes.FAILURE;
    } finally {
      runtime.out().flush();
      err.flush();
    }
  }

  static CommandLine commandLine(CliRuntime runtime) {
    CommandLine cli = new CommandLine(new RootCommand(runtime));
    cli.setOut(writer(runtime.out()));
    cli.setErr(writer(runtime.err()));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          String help = ex.getCommandLine().getCommandSpec().qualifiedName();
          runtime
              .err()
              .println(
                  "wasched: "
                      + ErrorFormatter.oneLine(ex.getMessage())
                      + " (see '"
                      + help
                      + " --help')");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          ErrorFormatter.Failure failure = ErrorFormatter.of(ex);
          runtime.err().println(failure.line());
          return failure.exitCode();
        });
    return cli;
  }

  private static Map<String, String> copy(Map<String, String> env) {
    Map<String, String> copy = new java.util.HashMap<>();
    if (env != null) {
      env.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              copy.put(k, v);
            }
          });
    }
    return Map.copyOf(copy);
  }

  private static PrintWriter writer(PrintStream stream) {
    Charset charset = stream.charset();
    return new PrintWriter(new OutputStreamWriter(stream, charset), true);
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, System.getenv(), args));
  }

  /** Visible for tests: the stdin-taking variant. */
  static int execute(
      InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
    return execute(
        new CliRuntime(in, out, err, copy(env), Clock.systemUTC(), ChannelFactory.mutualTls()),
        args);
  }
}
