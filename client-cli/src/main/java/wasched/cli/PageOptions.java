package wasched.cli;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** --page-size, --page-token and --all of the list commands. */
final class PageOptions {
  @Option(
      names = "--page-size",
      paramLabel = "N",
      description = "Items per page, at most 1000 (default: the server's, 50).")
  int pageSize;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Continue from this page.")
  String pageToken = "";

  @Option(names = "--all", description = "Follow next_page_token and list everything.")
  boolean all;

  void validate() {
    if (pageSize < 0 || pageSize > 1000) {
      throw new CliException(ExitCodes.USAGE, "--page-size must be between 1 and 1000");
    }
  }

  /**
   * Fetches the first page, and with --all every following one, merging them with {@code merge}.
   *
   * @param fetch fetches the page for a page token
   * @param nextToken reads the next page token of a response
   * @param merge appends the items of the second response to the first and clears its token
   */
  <R> R collect(
      Function<String, R> fetch,
      Function<R, String> nextToken,
      java.util.function.BinaryOperator<R> merge) {
    validate();
    R result = fetch.apply(pageToken == null ? "" : pageToken);
    if (!all) {
      return result;
    }
    Set<String> seen = new HashSet<>();
    String token = nextToken.apply(result);
    while (!token.isEmpty()) {
      if (!seen.add(token)) {
        throw new CliException(ExitCodes.FAILURE, "the server repeated page token " + token);
      }
      R page = fetch.apply(token);
      result = merge.apply(result, page);
      token = nextToken.apply(page);
    }
    return result;
  }
}
