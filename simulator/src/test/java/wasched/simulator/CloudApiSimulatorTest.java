package wasched.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudApiSimulatorTest {

    private static final String TOKEN = "EAAtest-token";
    private static final String PHONE_NUMBER_ID = "106540352242922";
    private static final String APP_SECRET = "app-secret-for-tests";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    @AfterAll
    static void closeClient() {
        HTTP.close();
    }

    private CloudApiSimulator start(UnaryOperator<CloudApiSimulator.Builder> config) {
        CloudApiSimulator sim = config.apply(CloudApiSimulator.builder()
                .accessToken(TOKEN)
                .phoneNumberId(PHONE_NUMBER_ID)
                .appSecret(APP_SECRET)).build().start();
        toClose.add(sim);
        return sim;
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        toClose.add(receiver);
        return receiver;
    }

    private static String textMessage(String to, String body, String callbackData) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("messaging_product", "whatsapp");
        root.put("recipient_type", "individual");
        root.put("to", to);
        root.put("type", "text");
        ObjectNode text = root.putObject("text");
        text.put("preview_url", false);
        text.put("body", body);
        if (callbackData != null) {
            root.put("biz_opaque_callback_data", callbackData);
        }
        return root.toString();
    }

    private static HttpResponse<String> post(URI uri, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(CloudApiSimulator sim, String json) {
        return post(messagesUri(sim, PHONE_NUMBER_ID), TOKEN, json);
    }

    private static URI messagesUri(CloudApiSimulator sim, String phoneNumberId) {
        return URI.create(sim.baseUri() + "/" + phoneNumberId + "/messages");
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int errorCode(HttpResponse<String> response) {
        return json(response).path("error").path("code").asInt(-1);
    }

    private static String hmacHex(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(body)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    @Test
    void accepted_send_returns_a_wamid_and_is_recorded_with_recipient_and_body() {
        CloudApiSimulator sim = start(b -> b);

        HttpResponse<String> response = send(sim, textMessage("+4915123456789", "Hello there", "job-42"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode answer = json(response);
        assertThat(answer.get("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(answer.at("/contacts/0/input").asText()).isEqualTo("+4915123456789");
        assertThat(answer.at("/contacts/0/wa_id").asText()).isEqualTo("4915123456789");
        String wamid = answer.at("/messages/0/id").asText();
        assertThat(wamid).matches("wamid\\.[A-Za-z0-9_-]{36,44}");

        assertThat(sim.receivedCount()).isEqualTo(1);
        ReceivedMessage received = sim.received().getFirst();
        assertThat(received.wamid()).isEqualTo(wamid);
        assertThat(received.phoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(received.to()).isEqualTo("+4915123456789");
        assertThat(received.body()).isEqualTo("Hello there");
        assertThat(received.callbackData()).isEqualTo("job-42");
        assertThat(received.receivedAt()).isNotNull();
        assertThat(sim.baseUri().toString()).isEqualTo("http://127.0.0.1:" + sim.port() + "/v21.0");
    }

    @Test
    void any_graph_api_version_is_accepted_but_a_malformed_one_is_not() {
        CloudApiSimulator sim = start(b -> b);
        URI base = URI.create("http://127.0.0.1:" + sim.port());

        assertThat(post(base.resolve("/v19.0/" + PHONE_NUMBER_ID + "/messages"), TOKEN,
                textMessage("15551234567", "hi", null)).statusCode()).isEqualTo(200);
        assertThat(post(base.resolve("/latest/" + PHONE_NUMBER_ID + "/messages"), TOKEN,
                textMessage("15551234567", "hi", null)).statusCode()).isEqualTo(400);
        assertThat(sim.receivedCount()).isEqualTo(1);
    }

    @Test
    void wrong_or_missing_token_is_refused_with_401_and_code_190() {
        CloudApiSimulator sim = start(b -> b);

        HttpResponse<String> wrong = post(messagesUri(sim, PHONE_NUMBER_ID), "not-the-token",
                textMessage("+4915123456789", "Hello", null));
        HttpResponse<String> missing = post(messagesUri(sim, PHONE_NUMBER_ID), null,
                textMessage("+4915123456789", "Hello", null));

        for (HttpResponse<String> response : List.of(wrong, missing)) {
            assertThat(response.statusCode()).isEqualTo(401);
            JsonNode error = json(response).get("error");
            assertThat(error.get("code").asInt()).isEqualTo(190);
            assertThat(error.get("type").asText()).isEqualTo("OAuthException");
            assertThat(error.get("message").asText()).startsWith("Invalid OAuth access token");
            assertThat(error.get("fbtrace_id").asText()).isNotBlank();
        }
        assertThat(sim.receivedCount()).isZero();
    }

    @Test
    void unknown_phone_number_id_is_refused_with_code_100() {
        CloudApiSimulator sim = start(b -> b);

        HttpResponse<String> response = post(messagesUri(sim, "999999999"), TOKEN,
                textMessage("+4915123456789", "Hello", null));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorCode(response)).isEqualTo(100);
        assertThat(sim.receivedCount()).isZero();
    }

    @Test
    void body_longer_than_4096_characters_is_refused_with_code_100_and_not_recorded() {
        CloudApiSimulator sim = start(b -> b);

        HttpResponse<String> tooLong = send(sim, textMessage("+4915123456789", "x".repeat(4097), null));
        HttpResponse<String> longest = send(sim, textMessage("+4915123456789", "y".repeat(4096), null));

        assertThat(tooLong.statusCode()).isEqualTo(400);
        JsonNode error = json(tooLong).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(100);
        assertThat(error.get("message").asText()).contains("too long");
        assertThat(error.at("/error_data/details").asText()).contains("4096");
        assertThat(longest.statusCode()).isEqualTo(200);
        assertThat(sim.received()).extracting(ReceivedMessage::body).containsExactly("y".repeat(4096));
    }

    @Test
    void malformed_or_unsupported_requests_are_refused_with_code_100() {
        CloudApiSimulator sim = start(b -> b);
        String valid = textMessage("+4915123456789", "Hello", null);

        List<String> invalid = List.of(
                "{not json",
                "[]",
                valid.replace("\"whatsapp\"", "\"sms\""),
                valid.replace("\"type\":\"text\"", "\"type\":\"image\""),
                valid.replace("+4915123456789", "call me"),
                valid.replace("+4915123456789", "+12345"),
                valid.replace("\"Hello\"", "\"\""),
                "{\"messaging_product\":\"whatsapp\",\"to\":\"+4915123456789\",\"type\":\"text\"}");

        for (String body : invalid) {
            HttpResponse<String> response = send(sim, body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(errorCode(response)).as(body).isEqualTo(100);
            assertThat(json(response).at("/error/error_data/messaging_product").asText()).isEqualTo("whatsapp");
        }
        assertThat(sim.receivedCount()).isZero();
    }

    @Test
    void throttles_beyond_the_configured_rate_with_code_130429() {
        CloudApiSimulator sim = start(b -> b.maxMessagesPerSecond(2));

        int accepted = 0;
        int throttled = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send(sim, textMessage("+4915123456789", "burst " + i, null));
            if (response.statusCode() == 200) {
                accepted++;
            } else {
                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(errorCode(response)).isEqualTo(130429);
                assertThat(json(response).at("/error/error_data/details").asText()).isNotBlank();
                throttled++;
            }
        }

        assertThat(accepted).isGreaterThanOrEqualTo(2); // the one-second burst
        assertThat(throttled).isGreaterThanOrEqualTo(5).isEqualTo(20 - accepted);
        assertThat(sim.receivedCount()).isEqualTo(accepted);
    }

    @Test
    void lifting_the_rate_at_runtime_stops_throttling() {
        CloudApiSimulator sim = start(b -> b.maxMessagesPerSecond(1));
        send(sim, textMessage("+4915123456789", "first", null));
        assertThat(errorCode(send(sim, textMessage("+4915123456789", "second", null)))).isEqualTo(130429);

        sim.setMaxMessagesPerSecond(0);

        for (int i = 0; i < 20; i++) {
            assertThat(send(sim, textMessage("+4915123456789", "free " + i, null)).statusCode()).isEqualTo(200);
        }
        assertThat(sim.receivedCount()).isEqualTo(21);
    }

    @Test
    void injected_error_is_returned_for_the_requested_count_then_sends_succeed() {
        CloudApiSimulator sim = start(b -> b);
        sim.injectErrors(131047, 2);
        sim.injectErrors(131000, 1);

        HttpResponse<String> first = send(sim, textMessage("+4915123456789", "a", null));
        HttpResponse<String> second = send(sim, textMessage("+4915123456789", "b", null));
        HttpResponse<String> third = send(sim, textMessage("+4915123456789", "c", null));
        HttpResponse<String> fourth = send(sim, textMessage("+4915123456789", "d", null));

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(errorCode(first)).isEqualTo(131047);
        assertThat(json(first).at("/error/error_data/details").asText()).contains("24 hours");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(errorCode(second)).isEqualTo(131047);
        assertThat(third.statusCode()).isEqualTo(500);
        assertThat(errorCode(third)).isEqualTo(131000);
        assertThat(fourth.statusCode()).isEqualTo(200);
        assertThat(sim.received()).extracting(ReceivedMessage::body).containsExactly("d");
    }

    @Test
    void webhooks_arrive_in_order_with_a_valid_signature() throws Exception {
        WebhookReceiver receiver = receiver();
        CloudApiSimulator sim = start(b -> b
                .webhookUrl(receiver.uri())
                .deliveryDelay(Duration.ofMillis(100))
                .sendReadReceipts(true));

        String wamid = json(send(sim, textMessage("+4915123456789", "Hello", "job-7")))
                .at("/messages/0/id").asText();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> receiver.statusesOf(wamid).size() == 3);
        assertThat(receiver.statusesOf(wamid)).containsExactly("sent", "delivered", "read");

        for (WebhookReceiver.Delivery delivery : receiver.deliveries()) {
            assertThat(delivery.contentType()).startsWith("application/json");
            assertThat(delivery.signature()).isEqualTo("sha256=" + hmacHex(delivery.body()));
            JsonNode payload = MAPPER.readTree(delivery.body());
            assertThat(payload.get("object").asText()).isEqualTo("whatsapp_business_account");
            JsonNode change = payload.at("/entry/0/changes/0");
            assertThat(change.get("field").asText()).isEqualTo("messages");
            assertThat(change.at("/value/messaging_product").asText()).isEqualTo("whatsapp");
            assertThat(change.at("/value/metadata/phone_number_id").asText()).isEqualTo(PHONE_NUMBER_ID);
        }
        JsonNode delivered = receiver.statuses().stream()
                .filter(s -> s.get("status").asText().equals("delivered")).findFirst().orElseThrow();
        assertThat(delivered.get("recipient_id").asText()).isEqualTo("4915123456789");
        assertThat(delivered.get("biz_opaque_callback_data").asText()).isEqualTo("job-7");
        assertThat(delivered.get("timestamp").asText()).matches("\\d{10}");
        assertThat(sim.webhookFailures()).isZero();
    }

    @Test
    void undeliverable_number_is_accepted_then_reported_failed_with_131026() {
        WebhookReceiver receiver = receiver();
        CloudApiSimulator sim = start(b -> b
                .webhookUrl(receiver.uri())
                .undeliverableNumbers(Set.of("+4915100000000")));

        HttpResponse<String> response = send(sim, textMessage("4915100000000", "Hello", null));
        assertThat(response.statusCode()).isEqualTo(200);
        String wamid = json(response).at("/messages/0/id").asText();

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.statusesOf(wamid).contains("failed"));
        assertThat(receiver.statusesOf(wamid)).containsExactly("sent", "failed");
        JsonNode failed = receiver.statuses().stream()
                .filter(s -> s.get("status").asText().equals("failed")).findFirst().orElseThrow();
        assertThat(failed.at("/errors/0/code").asInt()).isEqualTo(131026);
        assertThat(failed.at("/errors/0/title").asText()).isEqualTo("Message undeliverable");
        assertThat(failed.at("/errors/0/error_data/details").asText()).isNotBlank();
        assertThat(failed.has("biz_opaque_callback_data")).isFalse();
    }

    @Test
    void webhooks_that_keep_failing_are_counted() {
        WebhookReceiver receiver = receiver();
        receiver.respondWith(500);
        CloudApiSimulator sim = start(b -> b.webhookUrl(receiver.uri()));

        send(sim, textMessage("+4915123456789", "Hello", null));

        await().atMost(Duration.ofSeconds(10)).until(() -> sim.webhookFailures() >= 1);
        assertThat(receiver.deliveries().size()).isGreaterThan(1); // retried before giving up
    }

    @Test
    void many_concurrent_senders_are_all_recorded_and_each_message_gets_its_statuses_in_order()
            throws Exception {
        WebhookReceiver receiver = receiver();
        CloudApiSimulator sim = start(b -> b.maxMessagesPerSecond(0).webhookUrl(receiver.uri()));
        int threads = 8;
        int perThread = 250;

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<String> wamids = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        HttpResponse<String> response =
                                send(sim, textMessage("+1555000" + (1000 + thread), "m" + i, null));
                        assertThat(response.statusCode()).isEqualTo(200);
                        wamids.add(json(response).at("/messages/0/id").asText());
                    }
                    return wamids;
                }));
            }
            Set<String> wamids = new HashSet<>();
            for (Future<List<String>> future : futures) {
                wamids.addAll(future.get());
            }
            assertThat(wamids).hasSize(threads * perThread);
            assertThat(sim.receivedCount()).isEqualTo(threads * perThread);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.statuses().size() == 2 * threads * perThread);
            List<JsonNode> statuses = receiver.statuses();
            Set<String> sentSeen = new HashSet<>();
            for (JsonNode status : statuses) {
                String id = status.get("id").asText();
                if (status.get("status").asText().equals("sent")) {
                    sentSeen.add(id);
                } else {
                    assertThat(sentSeen).as("sent before delivered").contains(id);
                }
            }
            assertThat(sentSeen).isEqualTo(wamids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clearing_forgets_received_messages() {
        CloudApiSimulator sim = start(b -> b);
        send(sim, textMessage("+4915123456789", "Hello", null));
        assertThat(sim.receivedCount()).isEqualTo(1);

        sim.clearReceived();

        assertThat(sim.receivedCount()).isZero();
        assertThat(sim.received()).isEmpty();
    }
}
