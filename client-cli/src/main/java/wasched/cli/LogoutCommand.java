package wasched.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import wasched.v1.LogoutRequest;
import wasched.v1.LogoutResponse;

/** {@code wasched logout}: revokes the refresh token family and deletes the session file. */
@Command(name = "logout", description = "Revoke the session's tokens and delete the session file.")
final class LogoutCommand extends BaseCommand {

  @Override
  int run() throws Exception {
    SessionStore store = root().sessionStore();
    if (store.load().isEmpty()) {
      output().println("Not logged in.");
      return ExitCodes.OK;
    }
    LogoutResponse response;
    try {
      response =
          loggedIn(
              calls ->
                  calls.call(
                      () ->
                          calls
                              .auth()
                              .logout(
                                  LogoutRequest.newBuilder()
                                      .setRefreshToken(calls.session().refreshToken())
                                      .build())));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
        throw e;
      }
      response = LogoutResponse.getDefaultInstance();
    } catch (CliException e) {
      if (e.exitCode() != ExitCodes.AUTH) {
        throw e;
      }
      response = LogoutResponse.getDefaultInstance();
    }
    store.delete();
    Output out = output();
    if (out.json()) {
      out.printJson(response);
    } else {
      out.println("Logged out.");
    }
    return ExitCodes.OK;
  }
}
