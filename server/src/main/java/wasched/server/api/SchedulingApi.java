package wasched.server.api;

import io.grpc.stub.StreamObserver;
import wasched.server.PageToken;
import wasched.server.ResourceNames;
import wasched.server.schedule.MessageScheduler;
import wasched.server.security.CallPrincipal;
import wasched.v1.BulkScheduleMessagesRequest;
import wasched.v1.BulkScheduleMessagesResponse;
import wasched.v1.CancelMessageRequest;
import wasched.v1.CancelMessageResponse;
import wasched.v1.CreateRecurringScheduleRequest;
import wasched.v1.CreateRecurringScheduleResponse;
import wasched.v1.DeleteMessageRequest;
import wasched.v1.DeleteMessageResponse;
import wasched.v1.DeleteRecurringScheduleRequest;
import wasched.v1.DeleteRecurringScheduleResponse;
import wasched.v1.GetMessageRequest;
import wasched.v1.GetMessageResponse;
import wasched.v1.ListMessagesRequest;
import wasched.v1.ListMessagesResponse;
import wasched.v1.ListRecurringSchedulesRequest;
import wasched.v1.ListRecurringSchedulesResponse;
import wasched.v1.RescheduleMessageRequest;
import wasched.v1.RescheduleMessageResponse;
import wasched.v1.ScheduleMessageRequest;
import wasched.v1.ScheduleMessageResponse;
import wasched.v1.SchedulingServiceGrpc;
import wasched.v1.WatchDeliveriesRequest;
import wasched.v1.WatchDeliveriesResponse;

/** SchedulingService. */
public final class SchedulingApi extends SchedulingServiceGrpc.SchedulingServiceImplBase {
    private final MessageScheduler scheduler;
    private final int maxPageSize;

    public SchedulingApi(MessageScheduler scheduler, int maxPageSize) {
        this.scheduler = scheduler;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public void scheduleMessage(ScheduleMessageRequest req, StreamObserver<ScheduleMessageResponse> out) {
        Unary.respond(out, () -> {
            var cmd = new MessageScheduler.ScheduleCommand(
                    ResourceNames.parse(req.getRecipient(), "recipients", "recipient"),
                    req.getBody(),
                    ProtoMapper.instant(req.getSendTime(), req.hasSendTime(), "send_time"),
                    req.getLocalSendTime(),
                    req.getTimeZone(),
                    req.getRequestId());
            return ScheduleMessageResponse.newBuilder()
                    .setMessage(ProtoMapper.message(scheduler.schedule(CallPrincipal.current(), cmd))).build();
        });
    }

    @Override
    public void getMessage(GetMessageRequest req, StreamObserver<GetMessageResponse> out) {
        Unary.respond(out, () -> GetMessageResponse.newBuilder().setMessage(ProtoMapper.message(
                scheduler.get(CallPrincipal.current(), ResourceNames.parse(req.getName(), "messages", "name"))))
                .build());
    }

    @Override
    public void listMessages(ListMessagesRequest req, StreamObserver<ListMessagesResponse> out) {
        Unary.respond(out, () -> {
            var page = scheduler.list(CallPrincipal.current(), PageToken.pageSize(req.getPageSize(), maxPageSize),
                    req.getPageToken(), ProtoMapper.state(req.getState()));
            var b = ListMessagesResponse.newBuilder();
            page.items().forEach(m -> b.addMessages(ProtoMapper.message(m)));
            if (page.nextPageToken() != null) {
                b.setNextPageToken(page.nextPageToken());
            }
            return b.build();
        });
    }

    @Override
    public void cancelMessage(CancelMessageRequest req, StreamObserver<CancelMessageResponse> out) {
        Unary.respond(out, () -> CancelMessageResponse.newBuilder().setMessage(ProtoMapper.message(
                scheduler.cancel(CallPrincipal.current(), ResourceNames.parse(req.getName(), "messages", "name"))))
                .build());
    }

    @Override
    public void rescheduleMessage(RescheduleMessageRequest req, StreamObserver<RescheduleMessageResponse> out) {
        Unary.respond(out, () -> RescheduleMessageResponse.newBuilder().setMessage(ProtoMapper.message(
                scheduler.reschedule(CallPrincipal.current(), ResourceNames.parse(req.getName(), "messages", "name"),
                        ProtoMapper.instant(req.getSendTime(), req.hasSendTime(), "send_time"), req.getTimeZone())))
                .build());
    }

    @Override
    public void deleteMessage(DeleteMessageRequest req, StreamObserver<DeleteMessageResponse> out) {
        Unary.respond(out, () -> {
            scheduler.delete(CallPrincipal.current(), ResourceNames.parse(req.getName(), "messages", "name"));
            return DeleteMessageResponse.getDefaultInstance();
        });
    }

    @Override
    public void bulkScheduleMessages(BulkScheduleMessagesRequest req,
            StreamObserver<BulkScheduleMessagesResponse> out) {
        Unary.notYetAvailable(out, "BulkScheduleMessages");
    }

    @Override
    public void createRecurringSchedule(CreateRecurringScheduleRequest req,
            StreamObserver<CreateRecurringScheduleResponse> out) {
        Unary.notYetAvailable(out, "CreateRecurringSchedule");
    }

    @Override
    public void listRecurringSchedules(ListRecurringSchedulesRequest req,
            StreamObserver<ListRecurringSchedulesResponse> out) {
        Unary.notYetAvailable(out, "ListRecurringSchedules");
    }

    @Override
    public void deleteRecurringSchedule(DeleteRecurringScheduleRequest req,
            StreamObserver<DeleteRecurringScheduleResponse> out) {
        Unary.notYetAvailable(out, "DeleteRecurringSchedule");
    }

    @Override
    public void watchDeliveries(WatchDeliveriesRequest req, StreamObserver<WatchDeliveriesResponse> out) {
        Unary.notYetAvailable(out, "WatchDeliveries");
    }

}
