package wasched.cli;

import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import wasched.v1.CreateUserRequest;
import wasched.v1.ListUsersRequest;
import wasched.v1.ListUsersResponse;
import wasched.v1.LockUserRequest;
import wasched.v1.UnlockUserRequest;
import wasched.v1.Role;
import wasched.v1.User;

/** {@code wasched user create|list} (admin only). */
@Command(
    name = "user",
    description = "Manage users (admin only).",
    subcommands = {
      UserCommand.Create.class,
      UserCommand.ListCmd.class,
      UserCommand.Lock.class,
      UserCommand.Unlock.class
    })
final class UserCommand {

  /** The --role values. */
  enum RoleChoice {
    admin,
    user,
    viewer;

    Role toProto() {
      return Role.valueOf("ROLE_" + name().toUpperCase(Locale.ROOT));
    }
  }

  @Command(
      name = "create",
      description = {
        "Create a user.",
        "The password is read from --password-stdin, --password-file or env WASCHED_PASSWORD."
      })
  static final class Create extends BaseCommand {
    @Option(names = "--username", required = true, paramLabel = "USER", description = "Username.")
    String username;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "Role: ${COMPLETION-CANDIDATES}.")
    RoleChoice role;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PasswordOptions password;

    @Override
    int run() throws Exception {
      CreateUserRequest request =
          CreateUserRequest.newBuilder()
              .setUser(User.newBuilder().setUsername(username).setRole(role.toProto()))
              .setPassword(PasswordOptions.read(password, runtime()))
              .build();
      var response = loggedIn(calls -> calls.call(() -> calls.admin().createUser(request)));
      output().show(response, () -> Output.userDetails(response.getUser()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List users.")
  static final class ListCmd extends BaseCommand {
    @Mixin PageOptions page;

    @Override
    int run() {
      ListUsersResponse response =
          loggedIn(
              calls ->
                  page.collect(
                      token ->
                          calls.call(
                              () ->
                                  calls
                                      .admin()
                                      .listUsers(
                                          ListUsersRequest.newBuilder()
                                              .setPageSize(page.pageSize)
                                              .setPageToken(token)
                                              .build())),
                      ListUsersResponse::getNextPageToken,
                      (a, b) ->
                          a.toBuilder().addAllUsers(b.getUsersList()).setNextPageToken("").build()));
      output().showPage(response, () -> Output.userTable(response.getUsersList()), response.getNextPageToken());
      return ExitCodes.OK;
    }
  }

  @Command(name = "lock", description = "Lock a user out: no logins, existing tokens stop within seconds.")
  static final class Lock extends BaseCommand {
    @Parameters(paramLabel = "USER", description = "users/NAME or NAME.")
    String name;

    @Override
    int run() {
      LockUserRequest request = LockUserRequest.newBuilder().setName(Names.qualify("users", name)).build();
      var response = loggedIn(calls -> calls.call(() -> calls.admin().lockUser(request)));
      output().show(response, () -> Output.userDetails(response.getUser()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "unlock", description = "Unlock a user, also after too many failed logins.")
  static final class Unlock extends BaseCommand {
    @Parameters(paramLabel = "USER", description = "users/NAME or NAME.")
    String name;

    @Override
    int run() {
      UnlockUserRequest request = UnlockUserRequest.newBuilder().setName(Names.qualify("users", name)).build();
      var response = loggedIn(calls -> calls.call(() -> calls.admin().unlockUser(request)));
      output().show(response, () -> Output.userDetails(response.getUser()));
      return ExitCodes.OK;
    }
  }
}
