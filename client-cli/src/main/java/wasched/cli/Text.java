package wasched.cli;

/** Small text helpers for terminal output. */
final class Text {
  private Text() {}

  /** Replaces control characters (line breaks included) so a value stays on one table line. */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (c == '\n' || c == '\r' || c == '\t') {
                sb.append(' ');
              } else if (Character.isISOControl(c)) {
                sb.append('?');
              } else {
                sb.appendCodePoint(c);
              }
            });
    return sb.toString();
  }

  /** Keeps line breaks and tabs but neutralises other control characters (terminal escapes). */
  static String cleanMultiline(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              if (c == '\n' || c == '\t') {
                sb.appendCodePoint(c);
              } else if (Character.isISOControl(c)) {
                sb.append(c == '\r' ? "" : "?");
              } else {
                sb.appendCodePoint(c);
              }
            });
    return sb.toString();
  }

  /** Cuts {@code s} to at most {@code max} characters, ending in "..." when cut. */
  static String truncate(String s, int max) {
    String c = clean(s);
    if (c.codePointCount(0, c.length()) <= max) {
      return c;
    }
    int end = c.offsetByCodePoints(0, max - 3);
    return c.substring(0, end) + "...";
  }

  static int width(String s) {
    return s.codePointCount(0, s.length());
  }
}
