package wasched.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import wasched.v1.Message;
import wasched.v1.MessageState;
import wasched.v1.Recipient;
import wasched.v1.User;

/** Prints responses as tables, key-value lists or protobuf JSON. */
final class Output {
  /** Bodies longer than this are cut in tables. */
  static final int BODY_WIDTH = 40;

  /** The --output choices. */
  enum Format {
    table,
    json
  }

  private final PrintStream out;
  private final Format format;

  Output(PrintStream out, Format format) {
    this.out = out;
    this.format = format;
  }

  boolean json() {
    return format == Format.json;
  }

  /** Prints one protobuf message as JSON. */
  void printJson(MessageOrBuilder message) {
    try {
      out.println(JsonFormat.printer().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot print JSON: " + e.getMessage(), e);
    }
  }

  /** Prints the response as JSON, or else the text made from it. */
  void show(MessageOrBuilder response, java.util.function.Supplier<String> text) {
    if (json()) {
      printJson(response);
    } else {
      print(text.get());
    }
  }

  /** Prints a list response as JSON, or else its table and, if there is one, how to get the next page. */
  void showPage(MessageOrBuilder response, java.util.function.Supplier<Table> table, String nextPageToken) {
    if (json()) {
      printJson(response);
      return;
    }
    print(table.get().render());
    if (!nextPageToken.isEmpty()) {
      println("(more: --page-token " + Text.clean(nextPageToken) + ")");
    }
  }

  void print(String text) {
    out.print(text);
    out.flush();
  }

  void println(String line) {
    out.println(line);
  }

  // ---- messages

  static Table messageTable(List<Message> messages) {
    Table t =
        new Table(
            "NAME", "RECIPIENT", "STATE", "SEND TIME", "LOCAL TIME", "TIME ZONE", "ATTEMPTS",
            "PROVIDER ID", "BODY");
    for (Message m : messages) {
      t.row(
          m.getName(),
          m.getRecipient(),
          state(m.getState()),
          m.hasSendTime() ? time(m.getSendTime()) : "",
          m.getLocalSendTime(),
          m.getTimeZone(),
          m.getAttemptCount(),
          m.getProviderMessageId(),
          Text.truncate(m.getBody(), BODY_WIDTH));
    }
    return t;
  }

  static String messageDetails(Message m) {
    List<String[]> kv = new ArrayList<>();
    kv.add(pair("name", m.getName()));
    kv.add(pair("recipient", m.getRecipient()));
    kv.add(pair("state", state(m.getState())));
    kv.add(pair("send time", m.hasSendTime() ? time(m.getSendTime()) : ""));
    kv.add(pair("local send time", m.getLocalSendTime()));
    kv.add(pair("time zone", m.getTimeZone()));
    kv.add(pair("attempts", Integer.toString(m.getAttemptCount())));
    kv.add(pair("provider id", m.getProviderMessageId()));
    kv.add(pair("last error", m.getLastError()));
    kv.add(pair("owner", m.getOwner()));
    kv.add(pair("created", m.hasCreateTime() ? time(m.getCreateTime()) : ""));
    kv.add(pair("updated", m.hasUpdateTime() ? time(m.getUpdateTime()) : ""));
    kv.add(new String[] {"body", Text.cleanMultiline(m.getBody())});
    return Table.keyValues(kv);
  }

  // ---- recipients

  static Table recipientTable(List<Recipient> recipients) {
    Table t = new Table("NAME", "DISPLAY NAME", "PHONE", "OPTED OUT", "OWNER", "CREATED");
    for (Recipient r : recipients) {
      t.row(
          r.getName(),
          r.getDisplayName(),
          r.getPhoneNumber(),
          r.getOptedOut() ? "yes" : "no",
          r.getOwner(),
          r.hasCreateTime() ? time(r.getCreateTime()) : "");
    }
    return t;
  }

  static String recipientDetails(Recipient r) {
    List<String[]> kv = new ArrayList<>();
    kv.add(pair("name", r.getName()));
    kv.add(pair("display name", r.getDisplayName()));
    kv.add(pair("phone", r.getPhoneNumber()));
    kv.add(pair("opted out", r.getOptedOut() ? "yes" : "no"));
    kv.add(pair("owner", r.getOwner()));
    kv.add(pair("created", r.hasCreateTime() ? time(r.getCreateTime()) : ""));
    kv.add(pair("updated", r.hasUpdateTime() ? time(r.getUpdateTime()) : ""));
    return Table.keyValues(kv);
  }

  // ---- users

  static Table userTable(List<User> users) {
    Table t = new Table("NAME", "USERNAME", "ROLE", "LOCKED", "CREATED");
    for (User u : users) {
      t.row(
          u.getName(),
          u.getUsername(),
          Session.roleName(u.getRole()),
          u.getLocked() ? "yes" : "no",
          u.hasCreateTime() ? time(u.getCreateTime()) : "");
    }
    return t;
  }

  static String userDetails(User u) {
    List<String[]> kv = new ArrayList<>();
    kv.add(pair("name", u.getName()));
    kv.add(pair("username", u.getUsername()));
    kv.add(pair("role", Session.roleName(u.getRole())));
    kv.add(pair("locked", u.getLocked() ? "yes" : "no"));
    kv.add(pair("created", u.hasCreateTime() ? time(u.getCreateTime()) : ""));
    return Table.keyValues(kv);
  }

  // ---- helpers

  static String state(MessageState s) {
    if (s == MessageState.UNRECOGNIZED) {
      return "unknown";
    }
    return s.name().replaceFirst("^MESSAGE_STATE_", "").toLowerCase(Locale.ROOT);
  }

  /** ISO-8601 UTC, e.g. 2026-12-24T08:00:00Z. */
  static String time(Timestamp t) {
    return Session.toInstant(t).toString();
  }

  private static String[] pair(String key, String value) {
    return new String[] {key, value == null ? "" : Text.clean(value)};
  }
}
