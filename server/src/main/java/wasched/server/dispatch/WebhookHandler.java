package wasched.server.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Arrays;

/**
 * The WhatsApp webhook: {@code GET} answers Meta's subscription check ({@code hub.challenge}) when
 * the verify token matches; {@code POST} accepts status reports only with a valid
 * {@code X-Hub-Signature-256} HMAC of the raw body under the app secret. Statuses are applied in
 * any order and any number of times: a message only ever moves forward.
 */
public final class WebhookHandler {
    public static final String PATH = "/webhooks/whatsapp";
    private static final Logger LOG = Logger.getLogger(WebhookHandler.class.getName());
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final DeliveryStore store;
    private final byte[] appSecret;
    private final String verifyToken;
    private final ObjectMapper json = new ObjectMapper();

    public WebhookHandler(DeliveryStore store, String appSecret, String verifyToken) {
        this.store = store;
        this.appSecret = appSecret.getBytes(StandardCharsets.UTF_8);
        this.verifyToken = verifyToken;
    }

    public void verify(ServerRequest req, ServerResponse res) {
        var query = req.query();
        String mode = query.first("hub.mode").orElse("");
        String token = query.first("hub.verify_token").orElse("");
        String challenge = query.first("hub.challenge").orElse("");
        if ("subscribe".equals(mode) && !challenge.isEmpty() && Arrays.constantTimeAreEqual(
                token.getBytes(StandardCharsets.UTF_8), verifyToken.getBytes(StandardCharsets.UTF_8))) {
            res.send(challenge);
        } else {
            res.status(Status.FORBIDDEN_403).send("verification failed");
        }
    }

    public void receive(ServerRequest req, ServerResponse res) {
        byte[] body = req.content().as(byte[].class);
        if (body.length > MAX_BODY_BYTES) {
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).send();
            return;
        }
        String signature = req.headers().first(io.helidon.http.HeaderNames.create("X-Hub-Signature-256")).orElse("");
        if (!signatureValid(body, signature)) {
            LOG.warning("webhook POST with a missing or wrong X-Hub-Signature-256 refused");
            res.status(Status.UNAUTHORIZED_401).send("bad signature");
            return;
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            res.status(Status.BAD_REQUEST_400).send("malformed JSON");
            return;
        }
        List<DeliveryStore.StatusReport> reports = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                for (JsonNode status : change.path("value").path("statuses")) {
                    report(status).ifPresent(reports::add);
                }
            }
        }
        // One transaction for the whole payload: the provider batches statuses, so do we.
        int count = store.applyStatuses(reports);
        LOG.fine(() -> "webhook applied " + count + " statuses");
        res.send("ok");
    }

    private static Optional<DeliveryStore.StatusReport> report(JsonNode status) {
        String wamid = status.path("id").asText("");
        String state = status.path("status").asText("");
        if (wamid.isEmpty() || state.isEmpty()) {
            return Optional.empty();
        }
        UUID callback = null;
        String callbackData = status.path("biz_opaque_callback_data").asText("");
        if (!callbackData.isEmpty()) {
            try {
                callback = UUID.fromString(callbackData);
            } catch (IllegalArgumentException e) {
                callback = null;
            }
        }
        String error = null;
        JsonNode errors = status.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            error = "code " + errors.get(0).path("code").asInt() + ": " + errors.get(0).path("title").asText("");
        }
        return Optional.of(new DeliveryStore.StatusReport(wamid, callback, state, error));
    }

    boolean signatureValid(byte[] body, String header) {
        if (!header.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(appSecret));
        mac.update(body, 0, body.length);
        byte[] expected = new byte[mac.getMacSize()];
        mac.doFinal(expected, 0);
        return Arrays.constantTimeAreEqual(expected, given);
    }
}
