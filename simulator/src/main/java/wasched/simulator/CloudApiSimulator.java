package wasched.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Imitates the WhatsApp Cloud API {@code POST /{version}/{phone-number-id}/messages} endpoint for text messages,
 * including bearer-token checks, request validation, throughput throttling (error 130429), injectable failures and
 * signed status webhooks ({@code sent}, {@code delivered} or {@code failed}, optionally {@code read}).
 *
 * <p>Build with {@link #builder()}, then {@link #start()}; {@link #close()} stops it. Thread-safe.
 */
public final class CloudApiSimulator implements AutoCloseable {

    /** The Graph API version used in {@link #baseUri()}; any {@code vN.N} version is accepted on requests. */
    public static final String API_VERSION = "v21.0";
    /** Longest text body the Cloud API accepts, in characters. */
    public static final int MAX_BODY_CHARACTERS = 4096;
    /** Longest {@code biz_opaque_callback_data} the Cloud API accepts, in characters. */
    public static final int MAX_CALLBACK_DATA_CHARACTERS = 512;

    private static final byte[] HEALTHY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    private final SimulatorConfig config;
    private final ObjectMapper mapper = new ObjectMapper();
    private final StatusPlan statusPlan;
    private final Throttle throttle;
    private final ReceivedLog received = new ReceivedLog();
    private final InjectedErrors injectedErrors = new InjectedErrors();

    private final Object lifecycle = new Object();
    private WebServer server;
    private WebhookSender webhooks;
    private boolean closed;

    private CloudApiSimulator(SimulatorConfig config) {
        this.config = config;
        this.statusPlan = new StatusPlan(config.deliveryDelay(), config.sendReadReceipts(),
                config.undeliverableNumbers());
        this.throttle = new Throttle(config.maxMessagesPerSecond());
    }

    /** A builder with the defaults described on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the HTTP server and the webhook sender. */
    public CloudApiSimulator start() {
        synchronized (lifecycle) {
            if (server != null || closed) {
                throw new IllegalStateException("simulator already started or closed");
            }
            if (config.webhookUrl() != null) {
                webhooks = new WebhookSender(config.webhookUrl(), config.phoneNumberId(), config.appSecret(),
                        config.webhookSslContext(), mapper);
                webhooks.start();
            }
            MessagesEndpoint messages = new MessagesEndpoint(mapper, config.accessToken(), config.phoneNumberId(),
                    injectedErrors, throttle, received, statusPlan, webhooks);
            try {
                server = WebServer.builder()
                        .host(config.host())
                        .port(config.port())
                        .shutdownHook(false)
                        .routing(routing -> routing
                                .post("/{version}/{phoneNumberId}/messages", messages::handle)
                                .get("/health", (req, res) -> {
                                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                                    res.send(HEALTHY);
                                }))
                        .build()
                        .start();
            } catch (RuntimeException e) {
                if (webhooks != null) {
                    webhooks.close();
                    webhooks = null;
                }
                throw e;
            }
            return this;
        }
    }

    /** The port the server listens on; only meaningful after {@link #start()}. */
    public int port() {
        synchronized (lifecycle) {
            if (server == null) {
                throw new IllegalStateException("simulator not started");
            }
            return server.port();
        }
    }

    /** The Graph API base, such as {@code http://127.0.0.1:PORT/v21.0}; append {@code /{phone-number-id}/messages}. */
    public URI baseUri() {
        String host = config.host();
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/" + API_VERSION);
    }

    /** A snapshot of the accepted messages, in the order they were accepted. */
    public List<ReceivedMessage> received() {
        return received.snapshot();
    }

    /** How many messages were accepted (since the last {@link #clearReceived()}). */
    public int receivedCount() {
        return received.size();
    }

    /** Forgets the accepted messages. */
    public void clearReceived() {
        received.clear();
    }

    /**
     * Makes the next {@code count} otherwise valid sends fail with the Cloud API error {@code errorCode} and the
     * HTTP status the Cloud API pairs with it (500 for 131000, 400 for the others). Calls queue up in order.
     */
    public void injectErrors(int errorCode, int count) {
        injectedErrors.add(errorCode, count);
    }

    /** Changes the per-phone-number throughput limit; {@code <= 0} lifts it. */
    public void setMaxMessagesPerSecond(double rate) {
        throttle.setMaxMessagesPerSecond(rate);
    }

    /** How many webhook POSTs finally failed (no 2xx after the retries). */
    public long webhookFailures() {
        WebhookSender sender;
        synchronized (lifecycle) {
            sender = webhooks;
        }
        return sender == null ? 0 : sender.failures();
    }

    /** Stops the server, then lets the webhook sender post what is already due for a short while. */
    @Override
    public void close() {
        WebServer s;
        WebhookSender w;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
            w = webhooks;
        }
        if (s != null) {
            s.stop();
        }
        if (w != null) {
            w.close();
        }
    }

    SimulatorConfig config() {
        return config;
    }

    /** The current throughput limit, which {@link #setMaxMessagesPerSecond(double)} may have changed. */
    double maxMessagesPerSecond() {
        return throttle.maxMessagesPerSecond();
    }

    // ---------------------------------------------------------------------------------------------------------
    // builder

    /** Configures a {@link CloudApiSimulator}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private String accessToken;
        private String phoneNumberId;
        private String appSecret;
        private URI webhookUrl;
        private SSLContext webhookSslContext;
        private double maxMessagesPerSecond = 80;
        private Duration deliveryDelay = Duration.ZERO;
        private boolean sendReadReceipts;
        private Set<String> undeliverableNumbers = Set.of();

        private Builder() {
        }

        /** Interface to listen on; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to listen on; default 0, an ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token requests must present (required). */
        public Builder accessToken(String token) {
            this.accessToken = token;
            return this;
        }

        /** The only phone-number-id accepted in the path (required); others get error 100. */
        public Builder phoneNumberId(String id) {
            this.phoneNumberId = id;
            return this;
        }

        /** The app secret that keys the {@code X-Hub-Signature-256} HMAC of webhooks (required with webhooks). */
        public Builder appSecret(String secret) {
            this.appSecret = secret;
            return this;
        }

        /** Where status webhooks are POSTed; {@code null} (default) sends none. */
        public Builder webhookUrl(URI url) {
            this.webhookUrl = url;
            return this;
        }

        /** TLS context for an https webhook URL; {@code null} (default) uses the JDK default trust. */
        public Builder webhookSslContext(SSLContext ctx) {
            this.webhookSslContext = ctx;
            return this;
        }

        /** Throughput limit per phone number; {@code <= 0} is unlimited; default 80. */
        public Builder maxMessagesPerSecond(double rate) {
            this.maxMessagesPerSecond = rate;
            return this;
        }

        /** Time between the {@code sent} and the {@code delivered} (or {@code failed}) webhook; default zero. */
        public Builder deliveryDelay(Duration d) {
            Objects.requireNonNull(d, "deliveryDelay");
            if (d.isNegative()) {
                throw new IllegalArgumentException("deliveryDelay must not be negative");
            }
            this.deliveryDelay = d;
            return this;
        }

        /** Whether a {@code read} webhook follows {@code delivered}; default false. */
        public Builder sendReadReceipts(boolean b) {
            this.sendReadReceipts = b;
            return this;
        }

        /** Recipients whose messages are accepted but then reported {@code failed} with error 131026. */
        public Builder undeliverableNumbers(Set<String> e164Numbers) {
            this.undeliverableNumbers = Set.copyOf(Objects.requireNonNull(e164Numbers, "undeliverableNumbers"));
            return this;
        }

        /** Creates the simulator without starting it. */
        public CloudApiSimulator build() {
            if (accessToken == null || accessToken.isBlank()) {
                throw new IllegalStateException("accessToken is required");
            }
            if (phoneNumberId == null || phoneNumberId.isBlank()) {
                throw new IllegalStateException("phoneNumberId is required");
            }
            if (webhookUrl != null) {
                String scheme = webhookUrl.getScheme();
                if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                    throw new IllegalStateException("webhookUrl must be http or https: " + webhookUrl);
                }
                if (appSecret == null || appSecret.isEmpty()) {
                    throw new IllegalStateException("appSecret is required to sign webhooks");
                }
            }
            return new CloudApiSimulator(new SimulatorConfig(host, port, accessToken, phoneNumberId, appSecret,
                    webhookUrl, webhookSslContext, maxMessagesPerSecond, deliveryDelay, sendReadReceipts,
                    undeliverableNumbers));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // standalone

    /**
     * Runs a simulator until the process is killed. Flags (each also read from an environment variable):
     * {@code --host} (SIM_HOST), {@code --port} (SIM_PORT), {@code --access-token} (SIM_ACCESS_TOKEN),
     * {@code --phone-number-id} (SIM_PHONE_NUMBER_ID), {@code --app-secret} (SIM_APP_SECRET),
     * {@code --webhook-url} (SIM_WEBHOOK_URL), {@code --webhook-ca} PEM file (SIM_WEBHOOK_CA),
     * {@code --rate} (SIM_RATE), {@code --delivery-delay-ms} (SIM_DELIVERY_DELAY_MS),
     * {@code --read-receipts} (SIM_READ_RECEIPTS), {@code --undeliverable} comma-separated (SIM_UNDELIVERABLE).
     */
    public static void main(String[] args) {
        CommandLine.run(args);
    }

    // callers in this package predate CommandLine and still reach the flag handling through here
    static Map<String, String> parseFlags(String[] args) {
        return CommandLine.parseFlags(args);
    }

    static Builder fromOptions(Map<String, String> options) throws IOException, GeneralSecurityException {
        return CommandLine.fromOptions(options);
    }
}
