package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static wasched.server.it.Grpc.failure;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.server.security.ClientCredentials;
import wasched.server.security.DevPki;
import wasched.server.security.TokenService;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.GetMessageRequest;
import wasched.v1.ListMessagesRequest;
import wasched.v1.LoginRequest;
import wasched.v1.Recipient;
import wasched.v1.RefreshRequest;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;
import wasched.v1.TokenPair;

class SecurityTest {
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
        ts.userToken("bob", Role.ROLE_USER);
        ts.userToken("carol", Role.ROLE_USER);
        ts.userToken("victor", Role.ROLE_VIEWER);
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String token(String user) {
        return ts.login(user, "pw-" + user + "-long-enough");
    }

    static HealthCheckResponse.ServingStatus health(io.grpc.ManagedChannel ch) {
        return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Test
    void the_health_service_answers_over_mtls_without_a_token() {
        assertThat(health(ts.channel())).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void a_client_without_a_certificate_fails_the_handshake() {
        failure(() -> health(ts.channelWithoutClientCert()), Status.Code.UNAVAILABLE);
    }

    @Test
    void a_certificate_from_another_ca_is_refused() throws Exception {
        ClientCredentials foreign = DevPki.foreignClient(Files.createTempDirectory("foreign"), ts.clock);
        failure(() -> health(ts.channel(foreign.cert(), foreign.key())), Status.Code.UNAVAILABLE);
    }

    @Test
    void a_tls_1_2_client_is_refused() throws Exception {
        var ch = NettyChannelBuilder.forAddress("localhost", ts.server.grpcPort())
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(ts.certs().resolve("ca.pem").toFile())
                        .keyManager(ts.certs().resolve("client.pem").toFile(),
                                ts.certs().resolve("client-key.pem").toFile())
                        .protocols("TLSv1.2").build())
                .build();
        try {
            failure(() -> health(ch), Status.Code.UNAVAILABLE);
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void server_reflection_lists_the_wasched_services() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        var requests = ServerReflectionGrpc.newStub(ts.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    public void onNext(ServerReflectionResponse r) { answer.complete(r); }
                    public void onError(Throwable t) { answer.completeExceptionally(t); }
                    public void onCompleted() { }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        var services = answer.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName()).toList();
        requests.onCompleted();
        assertThat(services).contains("wasched.v1.SchedulingService", "wasched.v1.AuthService",
                "wasched.v1.RecipientService", "wasched.v1.AdminService", "grpc.health.v1.Health");
        // grpcurl's describe and --list-methods need the files behind every listed service.
        for (String service : services) {
            assertThat(reflect(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build())
                    .hasFileDescriptorResponse()).as(service).isTrue();
        }
    }

    static ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        var requests = ServerReflectionGrpc.newStub(ts.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    public void onNext(ServerReflectionResponse r) { answer.complete(r); }
                    public void onError(Throwable t) { answer.completeExceptionally(t); }
                    public void onCompleted() { }
                });
        requests.onNext(request);
        ServerReflectionResponse response = answer.get(5, TimeUnit.SECONDS);
        requests.onCompleted();
        return response;
    }

    @Test
    void a_call_without_a_token_is_unauthenticated() {
        var stub = wasched.v1.SchedulingServiceGrpc.newBlockingStub(ts.channel())
                .withDeadlineAfter(5, TimeUnit.SECONDS);
        failure(() -> stub.listMessages(ListMessagesRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
    }

    @Test
    void a_wrong_password_is_unauthenticated() {
        var stub = AuthServiceGrpc.newBlockingStub(ts.channel()).withDeadlineAfter(5, TimeUnit.SECONDS);
        failure(() -> stub.login(LoginRequest.newBuilder().setUsername("bob").setPassword("wrong-password-x")
                .build()), Status.Code.UNAUTHENTICATED);
        failure(() -> stub.login(LoginRequest.newBuilder().setUsername("nobody").setPassword("wrong-password-x")
                .build()), Status.Code.UNAUTHENTICATED);
    }

    @Test
    void an_expired_token_is_unauthenticated() {
        String token = token("bob");
        ts.scheduling(token).listMessages(ListMessagesRequest.getDefaultInstance());
        ts.clock.advance(Duration.ofMinutes(31));
        failure(() -> ts.scheduling(token).listMessages(ListMessagesRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED);
    }

    @Test
    void a_token_signed_with_another_key_is_unauthenticated() throws Exception {
        Path otherKey = Files.createTempDirectory("other-key").resolve("jwt.jwk");
        String forged = new TokenService(otherKey, "wasched", "wasched-api", ts.clock)
                .issueAccessToken("admin", "ADMIN", Duration.ofMinutes(30));
        failure(() -> ts.scheduling(forged).listMessages(ListMessagesRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED);
    }

    @Test
    void an_unsigned_alg_none_token_is_unauthenticated() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = ts.clock.instant().getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"wasched\",\"aud\":\"wasched-api\",\"sub\":\"admin\","
                + "\"role\":\"ADMIN\",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 600)
                + ",\"jti\":\"x\"}").getBytes(StandardCharsets.UTF_8));
        String unsigned = header + "." + claims + ".";
        failure(() -> ts.scheduling(unsigned).listMessages(ListMessagesRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED);
    }

    @Test
    void a_viewer_may_not_schedule_messages() {
        String viewer = token("victor");
        failure(() -> ts.scheduling(viewer).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient("recipients/" + java.util.UUID.randomUUID()).setBody("hi").build()),
                Status.Code.PERMISSION_DENIED);
        // ...but may use what VIEW_ANALYTICS grants.
        assertThat(ts.scheduling(viewer).listMessages(ListMessagesRequest.getDefaultInstance()).getMessagesCount())
                .isZero();
    }

    @Test
    void a_user_cannot_see_another_users_message_but_an_admin_can() {
        String bob = token("bob");
        String recipient = ts.recipients(bob).createRecipient(CreateRecipientRequest.newBuilder()
                .setRecipient(Recipient.newBuilder().setPhoneNumber("+1 202 555 0143").setDisplayName("Dan O'Neil"))
                .setRequestId("bob-dan").build()).getRecipient().getName();
        Instant at = ts.clock.instant().plus(Duration.ofHours(1));
        String message = ts.scheduling(bob).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody("private")
                .setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).build()).getMessage().getName();

        String carol = token("carol");
        failure(() -> ts.scheduling(carol).getMessage(GetMessageRequest.newBuilder().setName(message).build()),
                Status.Code.NOT_FOUND);
        assertThat(ts.scheduling(carol).listMessages(ListMessagesRequest.getDefaultInstance()).getMessagesList())
                .noneMatch(m -> m.getName().equals(message));
        // Carol cannot address Bob's recipient either.
        failure(() -> ts.scheduling(carol).scheduleMessage(ScheduleMessageRequest.newBuilder()
                .setRecipient(recipient).setBody("hijack")
                .setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())).build()),
                Status.Code.NOT_FOUND);
        assertThat(ts.scheduling(ts.adminToken()).getMessage(GetMessageRequest.newBuilder().setName(message)
                .build()).getMessage().getBody()).isEqualTo("private");
    }

    @Test
    void a_refresh_token_works_once_and_its_replay_revokes_the_family() {
        var auth = AuthServiceGrpc.newBlockingStub(ts.channel()).withDeadlineAfter(5, TimeUnit.SECONDS);
        TokenPair first = auth.login(LoginRequest.newBuilder().setUsername("bob")
                .setPassword("pw-bob-long-enough").build()).getTokens();
        TokenPair second = auth.refresh(RefreshRequest.newBuilder().setRefreshToken(first.getRefreshToken())
                .build()).getTokens();
        assertThat(second.getRefreshToken()).isNotEqualTo(first.getRefreshToken());
        ts.scheduling(second.getAccessToken()).listMessages(ListMessagesRequest.getDefaultInstance());

        failure(() -> auth.refresh(RefreshRequest.newBuilder().setRefreshToken(first.getRefreshToken()).build()),
                Status.Code.UNAUTHENTICATED);
        // The replay revoked the whole family, including the newer token.
        failure(() -> auth.refresh(RefreshRequest.newBuilder().setRefreshToken(second.getRefreshToken()).build()),
                Status.Code.UNAUTHENTICATED);
    }

    @Test
    void listing_pages_through_every_recipient_once_in_creation_order() {
        String pat = ts.userToken("pat", Role.ROLE_USER);
        java.util.List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(ts.recipients(pat).createRecipient(CreateRecipientRequest.newBuilder()
                    .setRecipient(Recipient.newBuilder().setPhoneNumber("+1 202 555 017" + i)
                            .setDisplayName("Pat Friend")).build()).getRecipient().getName());
            ts.clock.advance(Duration.ofMillis(1)); // a frozen clock would leave the order to the ids
        }
        java.util.List<String> seen = new java.util.ArrayList<>();
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        String token = "";
        do {
            var page = ts.recipients(pat).listRecipients(wasched.v1.ListRecipientsRequest.newBuilder()
                    .setPageSize(2).setPageToken(token).build());
            page.getRecipientsList().forEach(r -> seen.add(r.getName()));
            sizes.add(page.getRecipientsCount());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).containsExactlyElementsOf(created);
        failure(() -> ts.recipients(pat).listRecipients(wasched.v1.ListRecipientsRequest.newBuilder()
                .setPageToken("not-a-token").build()), Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void five_failed_logins_within_five_minutes_lock_the_account_until_an_admin_unlocks_it() {
        ts.userToken("lena", Role.ROLE_USER);
        var auth = AuthServiceGrpc.newBlockingStub(ts.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
        LoginRequest wrong = LoginRequest.newBuilder().setUsername("lena").setPassword("not-lenas-password").build();
        LoginRequest right = LoginRequest.newBuilder().setUsername("lena").setPassword("pw-lena-long-enough").build();
        String token = auth.login(right).getTokens().getAccessToken();
        for (int i = 0; i < 4; i++) {
            failure(() -> auth.login(wrong), Status.Code.UNAUTHENTICATED);
        }
        auth.login(right); // a success forgets the four failures
        for (int i = 0; i < 4; i++) {
            failure(() -> auth.login(wrong), Status.Code.UNAUTHENTICATED);
        }
        ts.clock.advance(Duration.ofMinutes(6)); // ...and so does time: a new window starts
        for (int i = 0; i < 4; i++) {
            failure(() -> auth.login(wrong), Status.Code.UNAUTHENTICATED);
        }
        var locked = failure(() -> auth.login(wrong), Status.Code.UNAUTHENTICATED);
        assertThat(locked.getStatus().getDescription()).contains("locked");
        assertThat(failure(() -> auth.login(right), Status.Code.UNAUTHENTICATED).getStatus().getDescription())
                .contains("locked");
        // Existing tokens stop working once the short account cache expires.
        ts.clock.advance(Duration.ofSeconds(3));
        failure(() -> ts.scheduling(token).listMessages(ListMessagesRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED);

        var admin = wasched.v1.AdminServiceGrpc.newBlockingStub(ts.channel())
                .withCallCredentials(TestServer.bearer(ts.adminToken())).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(admin.unlockUser(wasched.v1.UnlockUserRequest.newBuilder().setName("users/lena").build())
                .getUser().getLocked()).isFalse();
        assertThat(auth.login(right).getTokens().getAccessToken()).isNotEmpty();
        assertThat(admin.lockUser(wasched.v1.LockUserRequest.newBuilder().setName("users/lena").build())
                .getUser().getLocked()).isTrue();
        failure(() -> auth.login(right), Status.Code.UNAUTHENTICATED);
        failure(() -> admin.unlockUser(wasched.v1.UnlockUserRequest.newBuilder().setName("users/nobody").build()),
                Status.Code.NOT_FOUND);
    }

    @Test
    void an_rpc_not_yet_built_answers_unimplemented_not_a_fake_success() {
        failure(() -> ts.scheduling(ts.adminToken()).bulkScheduleMessages(
                wasched.v1.BulkScheduleMessagesRequest.getDefaultInstance()), Status.Code.UNIMPLEMENTED);
    }
}
