package wasched.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.regex.Pattern;
import wasched.simulator.CloudApiErrors.ApiError;
import wasched.simulator.SendRequestParser.InvalidRequest;
import wasched.simulator.SendRequestParser.OutgoingText;

/**
 * Serves {@code POST /{version}/{phone-number-id}/messages}. The checks run in the order that decides which error
 * a client sees when several apply: path, token, phone-number-id, body, injected errors, then throughput.
 */
final class MessagesEndpoint {

    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");

    private final ObjectMapper mapper;
    private final byte[] accessToken;
    private final String phoneNumberId;
    private final SendRequestParser parser;
    private final InjectedErrors injectedErrors;
    private final Throttle throttle;
    private final ReceivedLog received;
    private final StatusPlan statusPlan;
    private final WebhookSender webhooks; // null: webhooks disabled

    MessagesEndpoint(ObjectMapper mapper, String accessToken, String phoneNumberId, InjectedErrors injectedErrors,
                     Throttle throttle, ReceivedLog received, StatusPlan statusPlan, WebhookSender webhooks) {
        this.mapper = mapper;
        this.accessToken = accessToken.getBytes(StandardCharsets.UTF_8);
        this.phoneNumberId = phoneNumberId;
        this.parser = new SendRequestParser(mapper);
        this.injectedErrors = injectedErrors;
        this.throttle = throttle;
        this.received = received;
        this.statusPlan = statusPlan;
        this.webhooks = webhooks;
    }

    void handle(ServerRequest req, ServerResponse res) {
        byte[] requestBody = req.content().as(byte[].class);
        String version = req.path().pathParameters().get("version");
        String pathPhoneNumberId = req.path().pathParameters().get("phoneNumberId");

        if (!VERSION.matcher(version).matches()) {
            sendError(res, CloudApiErrors.unknownPath(mapper));
            return;
        }
        if (!hasValidToken(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null))) {
            sendError(res, CloudApiErrors.invalidToken(mapper));
            return;
        }
        if (!phoneNumberId.equals(pathPhoneNumberId)) {
            sendError(res, CloudApiErrors.unknownPhoneNumberId(mapper, pathPhoneNumberId));
            return;
        }

        OutgoingText message;
        try {
            message = parser.parse(requestBody);
        } catch (InvalidRequest e) {
            sendError(res, CloudApiErrors.of(mapper, CloudApiErrors.INVALID_PARAMETER, e.graphMessage(),
                    e.details()));
            return;
        }

        Integer injected = injectedErrors.take();
        if (injected != null) {
            sendError(res, CloudApiErrors.of(mapper, injected));
            return;
        }
        if (!throttle.tryAcquire(pathPhoneNumberId)) {
            sendError(res, CloudApiErrors.of(mapper, CloudApiErrors.RATE_LIMIT_HIT));
            return;
        }

        String wamid = "wamid." + CloudApiErrors.randomToken(30);
        String waId = PhoneNumbers.digits(message.to());
        received.add(new ReceivedMessage(wamid, pathPhoneNumberId, message.to(), message.body(),
                message.callbackData(), Instant.now()));
        if (webhooks != null) {
            statusPlan.schedule(webhooks, wamid, waId, message.callbackData());
        }

        ObjectNode answer = mapper.createObjectNode();
        answer.put("messaging_product", "whatsapp");
        ObjectNode contact = answer.putArray("contacts").addObject();
        contact.put("input", message.to());
        contact.put("wa_id", waId);
        answer.putArray("messages").addObject().put("id", wamid);
        sendJson(res, 200, toBytes(answer));
    }

    private boolean hasValidToken(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = value.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        // constant time, so response timing does not reveal how much of a guessed token was right
        return MessageDigest.isEqual(presented, accessToken);
    }

    private static void sendError(ServerResponse res, ApiError error) {
        // Graph also announces the error in this header
        res.header("WWW-Authenticate", error.httpStatus() == 401
                ? "OAuth \"Facebook Platform\" \"invalid_token\" \"Invalid OAuth access token\""
                : "OAuth \"Facebook Platform\" \"invalid_request\" \"Request failed\"");
        sendJson(res, error.httpStatus(), error.json());
    }

    private static void sendJson(ServerResponse res, int status, byte[] json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    private byte[] toBytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response", e);
        }
    }
}
