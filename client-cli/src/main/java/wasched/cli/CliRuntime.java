package wasched.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * Everything the CLI takes from its surroundings, so that tests can run it hermetically.
 *
 * @param in standard input (passwords, message bodies)
 * @param out standard output
 * @param err standard error
 * @param env environment variables
 * @param clock clock for relative send times and token expiry
 * @param channels how to open a channel to the server
 */
record CliRuntime(
    InputStream in,
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Clock clock,
    ChannelFactory channels) {

  /** Returns the environment variable, or {@code fallback} when it is unset or blank. */
  String env(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
