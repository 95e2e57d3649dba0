package wasched.cli;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.LoginRequest;
import wasched.v1.LoginResponse;

/** {@code wasched login}: exchanges username and password for tokens and saves the session. */
@Command(
    name = "login",
    description = {
      "Log in and save the session (0600) in DIR/cli-session.json.",
      "The password is read from --password-stdin, --password-file or env WASCHED_PASSWORD."
    })
final class LoginCommand extends BaseCommand {
  @Option(names = "--username", required = true, paramLabel = "USER", description = "Username.")
  String username;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  PasswordOptions password;

  @Override
  int run() throws Exception {
    RootCommand root = root();
    String secret = PasswordOptions.read(password, runtime());
    LoginResponse response;
    try (Connection connection = root.connect()) {
      response =
          connection
              .withDeadline(AuthServiceGrpc.newBlockingStub(connection.channel()))
              .login(LoginRequest.newBuilder().setUsername(username).setPassword(secret).build());
    }
    Session session = Session.from(response.getTokens(), root.server());
    root.sessionStore().save(session);
    Output out = output();
    String until =
        session.accessTokenExpireTime() == null ? "-" : session.accessTokenExpireTime().toString();
    if (out.json()) {
      Struct.Builder b = Struct.newBuilder();
      b.putFields("user", text(session.user()));
      b.putFields("role", text(session.role()));
      b.putFields("access_token_expire_time", text(until));
      b.putFields("server", text(session.server()));
      out.printJson(b);
    } else {
      String name = session.username().isEmpty() ? username : session.username();
      out.println(
          "Logged in as " + Text.clean(name) + " (" + session.role() + "), token valid until "
              + until);
    }
    return ExitCodes.OK;
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s == null ? "" : s).build();
  }
}
