package wasched.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The settings of one simulator, already checked by {@link CloudApiSimulator.Builder#build()}.
 *
 * @param webhookUrl        {@code null} when no webhooks are sent
 * @param webhookSslContext {@code null} for the JDK default trust
 */
record SimulatorConfig(String host, int port, String accessToken, String phoneNumberId, String appSecret,
                       URI webhookUrl, SSLContext webhookSslContext, double maxMessagesPerSecond,
                       Duration deliveryDelay, boolean sendReadReceipts, Set<String> undeliverableNumbers) {
}
