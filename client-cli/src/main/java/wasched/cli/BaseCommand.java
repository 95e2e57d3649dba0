package wasched.cli;

import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Common plumbing of the leaf commands: global options, output, and logged-in calls. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  RootCommand root() {
    return (RootCommand) spec.root().userObject();
  }

  CliRuntime runtime() {
    return root().runtime;
  }

  Output output() {
    return root().output();
  }

  /** Loads the session (exit 3 if none), opens a channel and runs {@code body} with it. */
  <T> T loggedIn(Function<AuthedCalls, T> body) {
    RootCommand root = root();
    SessionStore store = root.sessionStore();
    Session session =
        store
            .load()
            .orElseThrow(
                () -> new CliException(ExitCodes.AUTH, "not logged in: run `wasched login`"));
    String server = root.server();
    if (session.server() != null && !session.server().equals(server)) {
      throw new CliException(
          ExitCodes.AUTH,
          "not logged in to " + server + " (the session is for " + session.server()
              + "): run `wasched login`");
    }
    try (Connection connection = root.connect()) {
      return body.apply(new AuthedCalls(connection, store, session, runtime().clock()));
    }
  }

  @Override
  public Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;
}
