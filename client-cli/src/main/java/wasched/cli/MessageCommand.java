package wasched.cli;

import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import wasched.v1.CancelMessageRequest;
import wasched.v1.GetMessageRequest;
import wasched.v1.ListMessagesRequest;
import wasched.v1.ListMessagesResponse;
import wasched.v1.MessageState;
import wasched.v1.RescheduleMessageRequest;
import wasched.v1.ScheduleMessageRequest;

/** {@code wasched message schedule|list|get|cancel}. */
@Command(
    name = "message",
    description = "Schedule and inspect messages.",
    subcommands = {
      MessageCommand.Schedule.class,
      MessageCommand.ListCmd.class,
      MessageCommand.Get.class,
      MessageCommand.Cancel.class,
      MessageCommand.Reschedule.class
    })
final class MessageCommand {

  /** The --state filter values. */
  enum StateFilter {
    scheduled,
    sending,
    sent,
    delivered,
    read,
    failed,
    cancelled;

    MessageState toProto() {
      return MessageState.valueOf("MESSAGE_STATE_" + name().toUpperCase(Locale.ROOT));
    }
  }

  /** Exactly one way of saying when. */
  static final class When {
    @Option(
        names = "--at",
        paramLabel = "INSTANT",
        converter = Converters.InstantConverter.class,
        description = "Send time, ISO-8601 with offset: 2026-12-24T09:00:00Z or ...+01:00.")
    Instant at;

    @Option(
        names = "--local-time",
        paramLabel = "DATE-TIME",
        converter = Converters.LocalDateTimeConverter.class,
        description =
            "Wall-clock send time, e.g. 2026-12-24T09:00, read in --time-zone"
                + " (default: this machine's zone).")
    LocalDateTime localTime;

    @Option(
        names = "--in",
        paramLabel = "DURATION",
        converter = Converters.DurationConverter.class,
        description = "Send after this long from now: 30s, 5m, 2h, 1h30m or PT30S.")
    Duration in;
  }

  /** Exactly one body source. */
  static final class Body {
    @Option(names = "--body", paramLabel = "TEXT", description = "Message text.")
    String text;

    @Option(
        names = "--body-file",
        paramLabel = "FILE",
        description = "Read the message text from FILE (- for standard input).")
    String file;
  }

  @Command(name = "schedule", description = "Schedule a message.")
  static final class Schedule extends BaseCommand {
    @Option(
        names = "--to",
        required = true,
        paramLabel = "RECIPIENT",
        description = "recipients/ID or ID.")
    String to;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Body body;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "When (exactly one):%n")
    When when;

    @Option(
        names = "--time-zone",
        paramLabel = "ZONE",
        converter = Converters.ZoneConverter.class,
        description = "IANA time zone, e.g. Europe/Berlin.")
    ZoneId timeZone;

    @Option(
        names = "--request-id",
        paramLabel = "ID",
        description = "Idempotency key (default: a random UUID).")
    String requestId;

    @Override
    int run() throws IOException {
      ScheduleMessageRequest request = buildRequest();
      var response = loggedIn(calls -> calls.call(() -> calls.scheduling().scheduleMessage(request)));
      output().show(response, () -> Output.messageDetails(response.getMessage()));
      return ExitCodes.OK;
    }

    ScheduleMessageRequest buildRequest() throws IOException {
      ScheduleMessageRequest.Builder b =
          ScheduleMessageRequest.newBuilder()
              .setRecipient(Names.qualify("recipients", to))
              .setBody(readBody())
              .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString());
      if (when.at != null) {
        b.setSendTime(timestamp(when.at));
      } else if (when.in != null) {
        b.setSendTime(timestamp(runtime().clock().instant().plus(when.in)));
      } else {
        b.setLocalSendTime(when.localTime.toString());
        b.setTimeZone((timeZone != null ? timeZone : ZoneId.systemDefault()).getId());
      }
      if (timeZone != null) {
        b.setTimeZone(timeZone.getId());
      }
      return b.build();
    }

    private String readBody() throws IOException {
      if (body.text != null) {
        return body.text;
      }
      String text;
      if (body.file.equals("-")) {
        text = new String(runtime().in().readAllBytes(), StandardCharsets.UTF_8);
      } else {
        Path path = Path.of(body.file);
        if (!Files.isReadable(path)) {
          throw new CliException(ExitCodes.FAILURE, "cannot read body file " + path);
        }
        text = Files.readString(path, StandardCharsets.UTF_8);
      }
      return PasswordOptions.stripNewline(text);
    }
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  @Command(name = "list", description = "List messages.")
  static final class ListCmd extends BaseCommand {
    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only messages in this state: ${COMPLETION-CANDIDATES}.")
    StateFilter state;

    @Mixin PageOptions page;

    @Override
    int run() {
      ListMessagesResponse response =
          loggedIn(
              calls ->
                  page.collect(
                      token -> {
                        ListMessagesRequest.Builder request =
                            ListMessagesRequest.newBuilder()
                                .setPageSize(page.pageSize)
                                .setPageToken(token);
                        if (state != null) {
                          request.setState(state.toProto());
                        }
                        return calls.call(() -> calls.scheduling().listMessages(request.build()));
                      },
                      ListMessagesResponse::getNextPageToken,
                      (a, b) ->
                          a.toBuilder()
                              .addAllMessages(b.getMessagesList())
                              .setNextPageToken("")
                              .build()));
      output().showPage(response, () -> Output.messageTable(response.getMessagesList()), response.getNextPageToken());
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Show one message, with its full body.")
  static final class Get extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "messages/ID or ID.")
    String name;

    @Override
    int run() {
      GetMessageRequest request =
          GetMessageRequest.newBuilder().setName(Names.qualify("messages", name)).build();
      var response = loggedIn(calls -> calls.call(() -> calls.scheduling().getMessage(request)));
      output().show(response, () -> Output.messageDetails(response.getMessage()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", description = "Cancel a message that has not been sent yet.")
  static final class Cancel extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "messages/ID or ID.")
    String name;

    @Override
    int run() {
      CancelMessageRequest request =
          CancelMessageRequest.newBuilder().setName(Names.qualify("messages", name)).build();
      var response = loggedIn(calls -> calls.call(() -> calls.scheduling().cancelMessage(request)));
      output().show(response, () -> Output.messageDetails(response.getMessage()));
      return ExitCodes.OK;
    }
  }

  /** Exactly one new send time. */
  static final class NewTime {
    @Option(
        names = "--at",
        paramLabel = "INSTANT",
        converter = Converters.InstantConverter.class,
        description = "New send time, ISO-8601 with offset.")
    Instant at;

    @Option(
        names = "--in",
        paramLabel = "DURATION",
        converter = Converters.DurationConverter.class,
        description = "Send after this long from now: 30s, 5m, 2h, 1h30m or PT30S.")
    Duration in;
  }

  @Command(name = "reschedule", description = "Move a message that has not been sent yet to a new time.")
  static final class Reschedule extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "messages/ID or ID.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "New time (exactly one):%n")
    NewTime when;

    @Option(
        names = "--time-zone",
        paramLabel = "ZONE",
        converter = Converters.ZoneConverter.class,
        description = "New IANA time zone for showing the local time (default: unchanged).")
    ZoneId timeZone;

    @Override
    int run() {
      Instant at = when.at != null ? when.at : runtime().clock().instant().plus(when.in);
      RescheduleMessageRequest.Builder b =
          RescheduleMessageRequest.newBuilder()
              .setName(Names.qualify("messages", name))
              .setSendTime(timestamp(at));
      if (timeZone != null) {
        b.setTimeZone(timeZone.getId());
      }
      RescheduleMessageRequest request = b.build();
      var response =
          loggedIn(calls -> calls.call(() -> calls.scheduling().rescheduleMessage(request)));
      output().show(response, () -> Output.messageDetails(response.getMessage()));
      return ExitCodes.OK;
    }
  }
}
