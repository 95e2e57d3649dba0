package wasched.simulator;

import static wasched.simulator.CloudApiSimulator.MAX_BODY_CHARACTERS;
import static wasched.simulator.CloudApiSimulator.MAX_CALLBACK_DATA_CHARACTERS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Validates the JSON body of a send request the way the Cloud API does for text messages, and extracts what the
 * simulator keeps of it. Only text messages to individuals are supported.
 */
final class SendRequestParser {

    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?\\d{7,15}");

    private final ObjectMapper mapper;

    SendRequestParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The parts of a valid send request the simulator needs. */
    record OutgoingText(String to, String body, String callbackData) {
    }

    /** A request the Cloud API would reject with error 100; carries the Graph {@code message} and details. */
    static final class InvalidRequest extends Exception {
        private final String message;
        private final String details;

        InvalidRequest(String details) {
            this("(#100) Invalid parameter", details);
        }

        InvalidRequest(String message, String details) {
            // thrown for every bad request, so the stack trace would only cost time
            super(details, null, false, false);
            this.message = message;
            this.details = details;
        }

        String graphMessage() {
            return message;
        }

        String details() {
            return details;
        }
    }

    OutgoingText parse(byte[] requestBody) throws InvalidRequest {
        JsonNode root;
        try {
            root = mapper.readTree(requestBody);
        } catch (IOException e) {
            throw new InvalidRequest("The request body is not valid JSON.");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequest("The request body must be a JSON object.");
        }
        JsonNode product = root.get("messaging_product");
        if (product == null || !product.isTextual() || !"whatsapp".equals(product.asText())) {
            throw new InvalidRequest("Param messaging_product is required and must be \"whatsapp\".");
        }
        JsonNode recipientType = root.get("recipient_type");
        if (recipientType != null && !(recipientType.isTextual() && "individual".equals(recipientType.asText()))) {
            throw new InvalidRequest("Param recipient_type must be \"individual\".");
        }
        JsonNode type = root.get("type");
        if (type != null && !(type.isTextual() && "text".equals(type.asText()))) {
            throw new InvalidRequest("Param type must be \"text\"; the simulator supports text messages only.");
        }
        JsonNode to = root.get("to");
        if (to == null || !to.isTextual() || !PHONE_NUMBER.matcher(to.asText()).matches()) {
            throw new InvalidRequest("Param to must be a phone number of 7 to 15 digits, optionally with a leading +.");
        }
        JsonNode text = root.get("text");
        if (text == null || !text.isObject()) {
            throw new InvalidRequest("Param text is required for messages of type text.");
        }
        JsonNode previewUrl = text.get("preview_url");
        if (previewUrl != null && !previewUrl.isBoolean()) {
            throw new InvalidRequest("Param text['preview_url'] must be a boolean.");
        }
        JsonNode body = text.get("body");
        if (body == null || !body.isTextual() || body.asText().isEmpty()) {
            throw new InvalidRequest("Param text['body'] is required and must be a non-empty string.");
        }
        String bodyText = body.asText();
        // the Cloud API counts characters, not UTF-16 units, so an emoji counts once
        int length = bodyText.codePointCount(0, bodyText.length());
        if (length > MAX_BODY_CHARACTERS) {
            throw new InvalidRequest("(#100) Invalid parameter: text body is too long",
                    "Param text['body'] is too long: " + length + " characters, at most " + MAX_BODY_CHARACTERS
                            + " are allowed.");
        }
        JsonNode callback = root.get("biz_opaque_callback_data");
        String callbackData = null;
        if (callback != null && !callback.isNull()) {
            if (!callback.isTextual()) {
                throw new InvalidRequest("Param biz_opaque_callback_data must be a string.");
            }
            callbackData = callback.asText();
            if (callbackData.length() > MAX_CALLBACK_DATA_CHARACTERS) {
                throw new InvalidRequest("Param biz_opaque_callback_data must be at most "
                        + MAX_CALLBACK_DATA_CHARACTERS + " characters long.");
            }
        }
        return new OutgoingText(to.asText(), bodyText, callbackData);
    }
}
