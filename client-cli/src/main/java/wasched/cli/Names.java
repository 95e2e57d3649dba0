package wasched.cli;

import java.util.regex.Pattern;

/** Resource names: accepts "messages/abc" as well as the bare id "abc". */
final class Names {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~-]+");

  private Names() {}

  /**
   * Returns {@code collection/id} for a bare id, or the name itself when it is already a name in
   * {@code collection}.
   *
   * @throws CliException (usage) for anything else
   */
  static String qualify(String collection, String nameOrId) {
    String s = nameOrId == null ? "" : nameOrId.strip();
    String id = s.startsWith(collection + "/") ? s.substring(collection.length() + 1) : s;
    if (!ID.matcher(id).matches()) {
      throw new CliException(
          ExitCodes.USAGE,
          "'" + nameOrId + "' is not a valid name: expected " + collection + "/ID or a bare ID");
    }
    return collection + "/" + id;
  }
}
