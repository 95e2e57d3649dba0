package wasched.cli;

/** Process exit codes of the CLI. */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;
  /** Any failure without a more specific code. */
  static final int FAILURE = 1;
  /** Bad command line. */
  static final int USAGE = 2;
  /** Not logged in, session expired, UNAUTHENTICATED or PERMISSION_DENIED. */
  static final int AUTH = 3;
  /** NOT_FOUND. */
  static final int NOT_FOUND = 4;
  /** Server unreachable: UNAVAILABLE, DEADLINE_EXCEEDED, TLS problems. */
  static final int UNAVAILABLE = 5;

  private ExitCodes() {}
}
