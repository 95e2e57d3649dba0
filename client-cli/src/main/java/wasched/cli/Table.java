package wasched.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row and left-aligned columns separated by two spaces. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  Table(String... headers) {
    this.columns = headers.length;
    rows.add(headers.clone());
  }

  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
    }
    String[] row = new String[columns];
    for (int i = 0; i < columns; i++) {
      String text = cells[i] == null ? "" : Text.clean(cells[i].toString());
      row[i] = text.isEmpty() ? "-" : text;
    }
    rows.add(row);
    return this;
  }

  int size() {
    return rows.size() - 1;
  }

  String render() {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], Text.width(row[i]));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - Text.width(row[i]) + 2));
        }
      }
      sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** A "key: value" list with the values aligned. */
  static String keyValues(List<String[]> pairs) {
    int width = 0;
    for (String[] p : pairs) {
      width = Math.max(width, p[0].length());
    }
    StringBuilder sb = new StringBuilder();
    for (String[] p : pairs) {
      String key = p[0] + ":";
      sb.append(key)
          .append(" ".repeat(width + 2 - key.length()))
          .append(p[1] == null || p[1].isEmpty() ? "-" : p[1])
          .append(System.lineSeparator());
    }
    return sb.toString();
  }
}
