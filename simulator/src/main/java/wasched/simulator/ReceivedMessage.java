package wasched.simulator;

import java.time.Instant;

/**
 * A message the simulator accepted (answered with HTTP 200 and a wamid).
 *
 * @param wamid         the message id returned to the caller
 * @param phoneNumberId the sending business phone-number-id taken from the request path
 * @param to            the recipient exactly as it appeared in the request
 * @param body          the text body
 * @param callbackData  the {@code biz_opaque_callback_data} of the request, or {@code null}
 * @param receivedAt    when the simulator accepted the message
 */
public record ReceivedMessage(String wamid, String phoneNumberId, String to, String body, String callbackData,
                              Instant receivedAt) {
}
