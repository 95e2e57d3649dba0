package wasched.cli;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.StatusProto;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.CancelMessageRequest;
import wasched.v1.CancelMessageResponse;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.CreateRecipientResponse;
import wasched.v1.GetMessageRequest;
import wasched.v1.GetMessageResponse;
import wasched.v1.ListMessagesRequest;
import wasched.v1.ListMessagesResponse;
import wasched.v1.LoginRequest;
import wasched.v1.LoginResponse;
import wasched.v1.LogoutRequest;
import wasched.v1.LogoutResponse;
import wasched.v1.Message;
import wasched.v1.MessageState;
import wasched.v1.Recipient;
import wasched.v1.RecipientServiceGrpc;
import wasched.v1.RefreshRequest;
import wasched.v1.RefreshResponse;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;
import wasched.v1.ScheduleMessageResponse;
import wasched.v1.SchedulingServiceGrpc;
import wasched.v1.TokenPair;

/** A tiny in-memory stand-in for the wasched server, enough to drive the CLI end to end. */
final class FakeWasched implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  final Instant now;
  final AtomicReference<String> validAccessToken = new AtomicReference<>("access-1");
  final AtomicReference<String> validRefreshToken = new AtomicReference<>("refresh-1");
  final AtomicInteger refreshCount = new AtomicInteger();
  final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();
  final List<ScheduleMessageRequest> scheduled = new CopyOnWriteArrayList<>();
  final List<String> loggedOut = new CopyOnWriteArrayList<>();
  private final Server server;
  private final String target;

  FakeWasched(Instant now, SslContext tls) throws IOException {
    this.now = now;
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    if (tls != null) {
      builder.sslContext(tls);
    }
    ServerInterceptor bearer = new BearerCheck();
    server =
        builder
            .addService(ServerInterceptors.intercept(new Auth(), bearer))
            .addService(ServerInterceptors.intercept(new Scheduling(), bearer))
            .addService(ServerInterceptors.intercept(new Recipients(), bearer))
            .addService(new HealthStatusManager().getHealthService())
            .build()
            .start();
    target = "localhost:" + server.getPort();
  }

  String target() {
    return target;
  }

  TokenPair tokens(int n) {
    return TokenPair.newBuilder()
        .setAccessToken("access-" + n)
        .setAccessTokenExpireTime(ts(now.plusSeconds(1800)))
        .setRefreshToken("refresh-" + n)
        .setRefreshTokenExpireTime(ts(now.plusSeconds(7 * 86400)))
        .setRole(Role.ROLE_ADMIN)
        .setUser("users/alice")
        .build();
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static Message message(String name) {
    return Message.newBuilder()
        .setName(name)
        .setRecipient("recipients/r1")
        .setBody("Frohe Weihnachten!")
        .setState(MessageState.MESSAGE_STATE_SCHEDULED)
        .setSendTime(ts(Instant.parse("2026-12-24T08:00:00Z")))
        .setTimeZone("Europe/Berlin")
        .setLocalSendTime("2026-12-24T09:00:00")
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class BearerCheck implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getBareMethodName();
      if ("Login".equals(method) || "Refresh".equals(method)) {
        return next.startCall(call, headers);
      }
      String header = headers.get(AUTHORIZATION);
      authorizationHeaders.add(String.valueOf(header));
      if (!("Bearer " + validAccessToken.get()).equals(header)) {
        call.close(Status.UNAUTHENTICATED.withDescription("invalid access token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  private final class Auth extends AuthServiceGrpc.AuthServiceImplBase {
    @Override
    public void login(LoginRequest request, StreamObserver<LoginResponse> response) {
      if (!"alice".equals(request.getUsername()) || !PASSWORD.equals(request.getPassword())) {
        response.onError(
            Status.UNAUTHENTICATED.withDescription("invalid credentials").asRuntimeException());
        return;
      }
      response.onNext(LoginResponse.newBuilder().setTokens(tokens(1)).build());
      response.onCompleted();
    }

    @Override
    public void refresh(RefreshRequest request, StreamObserver<RefreshResponse> response) {
      if (!request.getRefreshToken().equals(validRefreshToken.get())) {
        response.onError(
            Status.UNAUTHENTICATED.withDescription("refresh token reused").asRuntimeException());
        return;
      }
      int n = refreshCount.incrementAndGet() + 1;
      validAccessToken.set("access-" + n);
      validRefreshToken.set("refresh-" + n);
      response.onNext(RefreshResponse.newBuilder().setTokens(tokens(n)).build());
      response.onCompleted();
    }

    @Override
    public void logout(LogoutRequest request, StreamObserver<LogoutResponse> response) {
      loggedOut.add(request.getRefreshToken());
      response.onNext(LogoutResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private final class Scheduling extends SchedulingServiceGrpc.SchedulingServiceImplBase {
    @Override
    public void scheduleMessage(
        ScheduleMessageRequest request, StreamObserver<ScheduleMessageResponse> response) {
      scheduled.add(request);
      Message m =
          message("messages/m1").toBuilder()
              .setRecipient(request.getRecipient())
              .setBody(request.getBody())
              .setSendTime(request.getSendTime())
              .build();
      response.onNext(ScheduleMessageResponse.newBuilder().setMessage(m).build());
      response.onCompleted();
    }

    @Override
    public void getMessage(GetMessageRequest request, StreamObserver<GetMessageResponse> response) {
      if (request.getName().equals("messages/missing")) {
        response.onError(
            Status.NOT_FOUND.withDescription("message not found: " + request.getName())
                .asRuntimeException());
        return;
      }
      response.onNext(
          GetMessageResponse.newBuilder().setMessage(message(request.getName())).build());
      response.onCompleted();
    }

    @Override
    public void listMessages(
        ListMessagesRequest request, StreamObserver<ListMessagesResponse> response) {
      ListMessagesResponse page =
          request.getPageToken().isEmpty()
              ? ListMessagesResponse.newBuilder()
                  .addMessages(message("messages/m1"))
                  .setNextPageToken("page-2")
                  .build()
              : ListMessagesResponse.newBuilder().addMessages(message("messages/m2")).build();
      response.onNext(page);
      response.onCompleted();
    }

    @Override
    public void cancelMessage(
        CancelMessageRequest request, StreamObserver<CancelMessageResponse> response) {
      Message m =
          message(request.getName()).toBuilder().setState(MessageState.MESSAGE_STATE_CANCELLED)
              .build();
      response.onNext(CancelMessageResponse.newBuilder().setMessage(m).build());
      response.onCompleted();
    }
  }

  private final class Recipients extends RecipientServiceGrpc.RecipientServiceImplBase {
    @Override
    public void createRecipient(
        CreateRecipientRequest request, StreamObserver<CreateRecipientResponse> response) {
      if (!request.getRecipient().getPhoneNumber().startsWith("+")) {
        BadRequest details =
            BadRequest.newBuilder()
                .addFieldViolations(
                    BadRequest.FieldViolation.newBuilder()
                        .setField("recipient.phone_number")
                        .setDescription("not a valid phone number"))
                .build();
        response.onError(
            StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                    .setCode(Code.INVALID_ARGUMENT_VALUE)
                    .setMessage("invalid recipient")
                    .addDetails(Any.pack(details))
                    .build()));
        return;
      }
      Recipient r =
          request.getRecipient().toBuilder()
              .setName("recipients/r1")
              .setOwner("users/alice")
              .build();
      response.onNext(CreateRecipientResponse.newBuilder().setRecipient(r).build());
      response.onCompleted();
    }
  }
}
