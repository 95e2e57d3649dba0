package wasched.server.api;

import io.grpc.stub.StreamObserver;
import wasched.server.PageToken;
import wasched.server.ResourceNames;
import wasched.server.recipient.RecipientDirectory;
import wasched.server.security.CallPrincipal;
import wasched.v1.CreateRecipientListRequest;
import wasched.v1.CreateRecipientListResponse;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.CreateRecipientResponse;
import wasched.v1.DeleteRecipientRequest;
import wasched.v1.DeleteRecipientResponse;
import wasched.v1.GetRecipientRequest;
import wasched.v1.GetRecipientResponse;
import wasched.v1.ImportRecipientsRequest;
import wasched.v1.ImportRecipientsResponse;
import wasched.v1.ListRecipientListsRequest;
import wasched.v1.ListRecipientListsResponse;
import wasched.v1.ListRecipientsRequest;
import wasched.v1.ListRecipientsResponse;
import wasched.v1.OptOutRecipientRequest;
import wasched.v1.OptOutRecipientResponse;
import wasched.v1.RecipientServiceGrpc;
import wasched.v1.UpdateRecipientRequest;
import wasched.v1.UpdateRecipientResponse;

/** RecipientService. */
public final class RecipientApi extends RecipientServiceGrpc.RecipientServiceImplBase {
    private final RecipientDirectory recipients;
    private final wasched.server.schedule.MessageScheduler scheduler;
    private final int maxPageSize;

    public RecipientApi(RecipientDirectory recipients, wasched.server.schedule.MessageScheduler scheduler,
            int maxPageSize) {
        this.recipients = recipients;
        this.scheduler = scheduler;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public void createRecipient(CreateRecipientRequest req, StreamObserver<CreateRecipientResponse> out) {
        Unary.respond(out, () -> {
            if (!req.hasRecipient()) {
                throw new wasched.server.DomainException.InvalidArgument("recipient", "required");
            }
            var r = recipients.create(CallPrincipal.current(), req.getRecipient().getPhoneNumber(),
                    req.getDefaultRegion(), req.getRecipient().getDisplayName(), req.getRequestId());
            return CreateRecipientResponse.newBuilder().setRecipient(ProtoMapper.recipient(r)).build();
        });
    }

    @Override
    public void getRecipient(GetRecipientRequest req, StreamObserver<GetRecipientResponse> out) {
        Unary.respond(out, () -> GetRecipientResponse.newBuilder().setRecipient(ProtoMapper.recipient(
                recipients.get(CallPrincipal.current(), ResourceNames.parse(req.getName(), "recipients", "name"))))
                .build());
    }

    @Override
    public void listRecipients(ListRecipientsRequest req, StreamObserver<ListRecipientsResponse> out) {
        Unary.respond(out, () -> {
            var page = recipients.list(CallPrincipal.current(), PageToken.pageSize(req.getPageSize(), maxPageSize),
                    req.getPageToken());
            var b = ListRecipientsResponse.newBuilder();
            page.items().forEach(r -> b.addRecipients(ProtoMapper.recipient(r)));
            if (page.nextPageToken() != null) {
                b.setNextPageToken(page.nextPageToken());
            }
            return b.build();
        });
    }

    @Override
    public void updateRecipient(UpdateRecipientRequest req, StreamObserver<UpdateRecipientResponse> out) {
        Unary.notYetAvailable(out, "UpdateRecipient");
    }

    @Override
    public void deleteRecipient(DeleteRecipientRequest req, StreamObserver<DeleteRecipientResponse> out) {
        Unary.notYetAvailable(out, "DeleteRecipient");
    }

    @Override
    public void optOutRecipient(OptOutRecipientRequest req, StreamObserver<OptOutRecipientResponse> out) {
        Unary.respond(out, () -> OptOutRecipientResponse.newBuilder().setRecipient(ProtoMapper.recipient(
                scheduler.optOut(CallPrincipal.current(), ResourceNames.parse(req.getName(), "recipients", "name"))))
                .build());
    }

    @Override
    public void importRecipients(ImportRecipientsRequest req, StreamObserver<ImportRecipientsResponse> out) {
        Unary.notYetAvailable(out, "ImportRecipients");
    }

    @Override
    public void createRecipientList(CreateRecipientListRequest req,
            StreamObserver<CreateRecipientListResponse> out) {
        Unary.notYetAvailable(out, "CreateRecipientList");
    }

    @Override
    public void listRecipientLists(ListRecipientListsRequest req, StreamObserver<ListRecipientListsResponse> out) {
        Unary.notYetAvailable(out, "ListRecipientLists");
    }
}
