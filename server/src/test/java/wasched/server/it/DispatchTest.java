package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import wasched.v1.GetMessageRequest;
import wasched.v1.Message;
import wasched.v1.MessageState;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;

class DispatchTest {
    static TestServer ts;
    static String user;
    static String recipient;

    @BeforeAll
    static void start() {
        ts = new TestServer();
        user = ts.userToken("dora", Role.ROLE_USER);
        recipient = ts.createRecipient(user, "+34 612 345 678", "Lola");
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static Message schedule(String body) {
        Instant at = ts.clock.instant().plusSeconds(1);
        return ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder().setRecipient(recipient)
                .setBody(body).setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())
                        .setNanos(at.getNano())).build()).getMessage();
    }

    static Message get(String name) {
        return ts.scheduling(user).getMessage(GetMessageRequest.newBuilder().setName(name).build()).getMessage();
    }

    static long received(String body) {
        return ts.server.simulator().received().stream().filter(r -> r.body().equals(body)).count();
    }

    @Test
    void a_throttled_send_is_retried_after_backoff_and_then_delivered() {
        String body = "throttled " + UUID.randomUUID();
        ts.server.simulator().injectErrors(130429, 1);
        Message m = schedule(body);
        ts.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(m.getName()).getAttemptCount() == 1
                && get(m.getName()).getState() == MessageState.MESSAGE_STATE_SCHEDULED);
        assertThat(get(m.getName()).getLastError()).contains("130429");
        assertThat(received(body)).isZero();

        // The backoff after the first attempt is at most 2 s; move past it.
        ts.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(m.getName()).getState()
                == MessageState.MESSAGE_STATE_DELIVERED);
        assertThat(get(m.getName()).getAttemptCount()).isEqualTo(2);
        assertThat(received(body)).isEqualTo(1);
    }

    @Test
    void a_permanent_provider_error_fails_the_message_without_retrying() {
        String body = "permanent " + UUID.randomUUID();
        ts.server.simulator().injectErrors(131026, 1);
        Message m = schedule(body);
        ts.advance(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> get(m.getName()).getState()
                == MessageState.MESSAGE_STATE_FAILED);
        assertThat(get(m.getName()).getLastError()).contains("131026");
        assertThat(get(m.getName()).getAttemptCount()).isEqualTo(1);
        assertThat(received(body)).isZero();
    }

    @Test
    void every_replica_hears_of_new_work_when_the_scheduling_transaction_commits_and_only_then() {
        java.util.List<Instant> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var listener = new wasched.server.dispatch.DueListener(ts.server.database().dataSource(), heard::add)) {
            Instant later = ts.clock.instant().plus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            Instant rolledBack = later.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            // The listener's LISTEN may not be in place yet; keep scheduling until one is heard.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder().setRecipient(recipient)
                        .setBody("heard").setSendTime(Timestamp.newBuilder().setSeconds(later.getEpochSecond())
                                .setNanos(later.getNano())).build());
                return heard.contains(later);
            });
            // A schedule that fails inside its transaction (unknown recipient) announces nothing.
            Grpc.failure(() -> ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder()
                    .setRecipient("recipients/" + UUID.randomUUID()).setBody("lost")
                    .setSendTime(Timestamp.newBuilder().setSeconds(rolledBack.getEpochSecond())).build()),
                    io.grpc.Status.Code.NOT_FOUND);
            Instant marker = later.plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            ts.scheduling(user).scheduleMessage(ScheduleMessageRequest.newBuilder().setRecipient(recipient)
                    .setBody("marker").setSendTime(Timestamp.newBuilder().setSeconds(marker.getEpochSecond())).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains(marker));
            assertThat(heard).doesNotContain(rolledBack);
        }
    }

    @Test
    void the_webhook_refuses_a_post_without_a_valid_signature() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustDevCa()).build();
        URI uri = URI.create("https://localhost:" + ts.server.webhookPort() + "/webhooks/whatsapp");
        String payload = "{\"entry\":[{\"changes\":[{\"value\":{\"statuses\":[{\"id\":\"wamid.x\",\"status\":\"read\"}]}}]}]}";
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(401);
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(uri)
                .header("X-Hub-Signature-256", "sha256=" + "00".repeat(32))
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> verify = http.send(HttpRequest.newBuilder(URI.create(uri
                + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=123")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(verify.statusCode()).isEqualTo(403);
    }

    static javax.net.ssl.SSLContext trustDevCa() throws Exception {
        var store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", wasched.server.security.Pem.readCertificates(
                ts.certs().resolve("ca.pem")).get(0));
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
