package wasched.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top command, {@code wasched}: holds the global options every subcommand inherits. */
@Command(
    name = "wasched",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = RootCommand.Version.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    description = "Administer a wasched server: schedule WhatsApp messages, manage recipients and users.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0 ok        1 failure          2 usage error",
      "  3 not logged in, UNAUTHENTICATED or PERMISSION_DENIED    4 NOT_FOUND",
      "  5 UNAVAILABLE, DEADLINE_EXCEEDED or TLS problem"
    },
    subcommands = {
      LoginCommand.class,
      LogoutCommand.class,
      RecipientCommand.class,
      MessageCommand.class,
      UserCommand.class,
      HealthCommand.class
    })
final class RootCommand {
  static final String DEFAULT_SERVER = "localhost:8443";
  static final String DEFAULT_STATE_DIR = ".wasched";

  final CliRuntime runtime;

  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description = "Server address (env WASCHED_SERVER; default " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--state-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Directory with certs/ and the session file (env WASCHED_STATE_DIR; default "
          + DEFAULT_STATE_DIR + ").")
  Path stateDir;

  @Option(
      names = "--ca",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "CA certificate PEM (default DIR/certs/ca.pem).")
  Path ca;

  @Option(
      names = "--cert",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Client certificate PEM (default DIR/certs/client.pem).")
  Path cert;

  @Option(
      names = "--key",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Client private key, PKCS#8 PEM (default DIR/certs/client-key.pem).")
  Path key;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Output.Format output = Output.Format.table;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Deadline of every call in seconds (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = 10;

  RootCommand(CliRuntime runtime) {
    this.runtime = runtime;
  }

  String server() {
    return server != null && !server.isBlank()
        ? server.strip()
        : runtime.env("WASCHED_SERVER", DEFAULT_SERVER).strip();
  }

  Path stateDir() {
    return stateDir != null ? stateDir : Path.of(runtime.env("WASCHED_STATE_DIR", DEFAULT_STATE_DIR));
  }

  ChannelFactory.TlsFiles tlsFiles() {
    Path certs = stateDir().resolve("certs");
    return new ChannelFactory.TlsFiles(
        ca != null ? ca : certs.resolve("ca.pem"),
        cert != null ? cert : certs.resolve("client.pem"),
        key != null ? key : certs.resolve("client-key.pem"));
  }

  Path sessionFile() {
    return stateDir().resolve("cli-session.json");
  }

  SessionStore sessionStore() {
    return new SessionStore(sessionFile());
  }

  long timeoutSeconds() {
    if (timeoutSeconds <= 0) {
      throw new CliException(ExitCodes.USAGE, "--timeout must be a positive number of seconds");
    }
    return timeoutSeconds;
  }

  Output output() {
    return new Output(runtime.out(), output);
  }

  /** Opens a channel to the configured server; close it when the command is done. */
  Connection connect() {
    long timeout = timeoutSeconds();
    return new Connection(runtime.channels().open(server(), tlsFiles()), timeout);
  }

  /** Reports the implementation version from the jar manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RootCommand.class.getPackage().getImplementationVersion();
      return new String[] {"wasched " + (v == null ? "(development build)" : v)};
    }
  }
}
