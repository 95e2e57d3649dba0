package wasched.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a password comes from. Deliberately no option that takes the password itself, so it never
 * lands in shell history or the process list.
 */
final class PasswordOptions {
  static final String ENV = "WASCHED_PASSWORD";

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input.")
  boolean stdin;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "Read the password from FILE (a trailing newline is ignored).")
  Path file;

  /** Reads the password from the chosen source, or WASCHED_PASSWORD when none was chosen. */
  static String read(PasswordOptions options, CliRuntime runtime) throws IOException {
    String password;
    if (options != null && options.stdin) {
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(runtime.in(), StandardCharsets.UTF_8));
      password = reader.readLine();
      if (password == null || password.isEmpty()) {
        throw new CliException(ExitCodes.FAILURE, "no password on standard input");
      }
    } else if (options != null && options.file != null) {
      if (!Files.isReadable(options.file)) {
        throw new CliException(ExitCodes.FAILURE, "cannot read password file " + options.file);
      }
      password = stripNewline(Files.readString(options.file, StandardCharsets.UTF_8));
      if (password.isEmpty()) {
        throw new CliException(ExitCodes.FAILURE, "password file " + options.file + " is empty");
      }
    } else {
      password = runtime.env().get(ENV);
      if (password == null || password.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE,
            "no password given: use --password-stdin, --password-file FILE or set " + ENV);
      }
    }
    return password;
  }

  static String stripNewline(String s) {
    String r = s;
    if (r.endsWith("\n")) {
      r = r.substring(0, r.length() - 1);
    }
    if (r.endsWith("\r")) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
