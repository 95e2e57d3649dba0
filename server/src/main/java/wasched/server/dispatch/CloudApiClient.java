package wasched.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Calls the WhatsApp Cloud API {@code POST /{phone-number-id}/messages} with a text message and
 * classifies the answer. Error codes follow Meta's documentation: throughput and transient errors
 * are retried, errors about the recipient or the content are not.
 */
public final class CloudApiClient {
    /** Codes worth retrying: rate limits (130429, 131056), generic/unknown (131000, 1, 2), service unavailable (131016). */
    static final Set<Integer> RETRYABLE = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131056);
    /** Outside the 24-hour customer service window: only a template message may be sent. */
    static final int REENGAGEMENT_REQUIRED = 131047;

    private final HttpClient http;
    private final URI messagesUri;
    private final String accessToken;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public CloudApiClient(String baseUrl, String phoneNumberId, String accessToken, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.messagesUri = URI.create(base + "/" + phoneNumberId + "/messages");
        this.accessToken = accessToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Sends a text message. {@code callbackData} travels as {@code biz_opaque_callback_data} and comes
     * back in status webhooks, so a status can be matched to its message even before the wamid is stored.
     */
    public SendResult sendText(String toE164, String body, String callbackData) {
        ObjectNode req = json.createObjectNode();
        req.put("messaging_product", "whatsapp");
        req.put("recipient_type", "individual");
        req.put("to", toE164);
        req.put("type", "text");
        ObjectNode text = req.putObject("text");
        text.put("preview_url", false);
        text.put("body", body);
        req.put("biz_opaque_callback_data", callbackData);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(messagesUri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + accessToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(req)))
                    .build();
        } catch (IOException e) {
            return new SendResult.Permanent(0, "cannot encode request: " + e.getMessage());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return new SendResult.Retryable(0, "provider timed out", null);
        } catch (IOException e) {
            return new SendResult.Retryable(0, "provider unreachable: " + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Retryable(0, "interrupted", null);
        }
        return classify(response.statusCode(), response.body(),
                response.headers().firstValue("Retry-After").flatMap(CloudApiClient::seconds));
    }

    SendResult classify(int status, byte[] body, Optional<Duration> retryAfter) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            root = json.createObjectNode();
        }
        if (status / 100 == 2) {
            String wamid = root.path("messages").path(0).path("id").asText("");
            return wamid.isEmpty()
                    ? new SendResult.Retryable(0, "provider accepted without a message id", null)
                    : new SendResult.Accepted(wamid);
        }
        JsonNode error = root.path("error");
        int code = error.path("code").asInt(0);
        String reason = "HTTP " + status + (code != 0 ? " code " + code : "") + ": "
                + error.path("message").asText("no error message");
        if (status == 429 || status >= 500 || RETRYABLE.contains(code)) {
            return new SendResult.Retryable(code, reason, retryAfter.orElse(null));
        }
        if (code == REENGAGEMENT_REQUIRED) {
            return new SendResult.Permanent(code,
                    reason + " (outside the 24-hour window; a template message is required)");
        }
        return new SendResult.Permanent(code, reason);
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
