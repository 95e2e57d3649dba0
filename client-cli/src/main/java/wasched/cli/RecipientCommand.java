package wasched.cli;

import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.GetRecipientRequest;
import wasched.v1.ListRecipientsRequest;
import wasched.v1.ListRecipientsResponse;
import wasched.v1.OptOutRecipientRequest;
import wasched.v1.Recipient;

/** {@code wasched recipient add|list|get}. */
@Command(
    name = "recipient",
    description = "Manage recipients.",
    subcommands = {
      RecipientCommand.Add.class,
      RecipientCommand.ListCmd.class,
      RecipientCommand.Get.class,
      RecipientCommand.OptOut.class
    })
final class RecipientCommand {

  @Command(name = "add", description = "Add a recipient.")
  static final class Add extends BaseCommand {
    @Option(
        names = "--phone",
        required = true,
        paramLabel = "PHONE",
        description = "Phone number, e.g. +4915112345678 (or national with --region).")
    String phone;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name.")
    String displayName;

    @Option(
        names = "--region",
        paramLabel = "CC",
        description = "Region for numbers without +, e.g. DE.")
    String region = "";

    @Option(
        names = "--request-id",
        paramLabel = "ID",
        description = "Idempotency key (default: a random UUID).")
    String requestId;

    @Override
    int run() {
      CreateRecipientRequest request =
          CreateRecipientRequest.newBuilder()
              .setRecipient(
                  Recipient.newBuilder().setPhoneNumber(phone).setDisplayName(displayName))
              .setDefaultRegion(region)
              .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
              .build();
      var response = loggedIn(calls -> calls.call(() -> calls.recipients().createRecipient(request)));
      output().show(response, () -> Output.recipientDetails(response.getRecipient()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List recipients.")
  static final class ListCmd extends BaseCommand {
    @Mixin PageOptions page;

    @Override
    int run() {
      ListRecipientsResponse response =
          loggedIn(
              calls ->
                  page.collect(
                      token ->
                          calls.call(
                              () ->
                                  calls
                                      .recipients()
                                      .listRecipients(
                                          ListRecipientsRequest.newBuilder()
                                              .setPageSize(page.pageSize)
                                              .setPageToken(token)
                                              .build())),
                      ListRecipientsResponse::getNextPageToken,
                      (a, b) ->
                          a.toBuilder()
                              .addAllRecipients(b.getRecipientsList())
                              .setNextPageToken("")
                              .build()));
      output().showPage(response, () -> Output.recipientTable(response.getRecipientsList()), response.getNextPageToken());
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Show one recipient.")
  static final class Get extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "recipients/ID or ID.")
    String name;

    @Override
    int run() {
      GetRecipientRequest request =
          GetRecipientRequest.newBuilder().setName(Names.qualify("recipients", name)).build();
      var response = loggedIn(calls -> calls.call(() -> calls.recipients().getRecipient(request)));
      output().show(response, () -> Output.recipientDetails(response.getRecipient()));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "opt-out",
      description = "Record that a recipient opted out; cancels its pending messages.")
  static final class OptOut extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "recipients/ID or ID.")
    String name;

    @Override
    int run() {
      OptOutRecipientRequest request =
          OptOutRecipientRequest.newBuilder().setName(Names.qualify("recipients", name)).build();
      var response =
          loggedIn(calls -> calls.call(() -> calls.recipients().optOutRecipient(request)));
      output().show(response, () -> Output.recipientDetails(response.getRecipient()));
      return ExitCodes.OK;
    }
  }
}
