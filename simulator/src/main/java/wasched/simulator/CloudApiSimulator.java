package wasched.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import wasched.simulator.CloudApiErrors.ApiError;

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

    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+");
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?\\d{7,15}");
    private static final byte[] HEALTHY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    private final String host;
    private final int requestedPort;
    private final byte[] accessToken;
    private final String phoneNumberId;
    private final String appSecret;
    private final URI webhookUrl;
    private final SSLContext webhookSslContext;
    private final Duration deliveryDelay;
    private final boolean sendReadReceipts;
    private final Set<String> undeliverableDigits;
    private volatile double maxMessagesPerSecond;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final List<ReceivedMessage> received = new ArrayList<>();
    private final ArrayDeque<int[]> injectedErrors = new ArrayDeque<>(); // {code, remaining}
    private final AtomicInteger injectedPending = new AtomicInteger();

    private final Object lifecycle = new Object();
    private WebServer server;
    private WebhookSender webhooks;
    private boolean closed;

    private CloudApiSimulator(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.accessToken = b.accessToken.getBytes(StandardCharsets.UTF_8);
        this.phoneNumberId = b.phoneNumberId;
        this.appSecret = b.appSecret;
        this.webhookUrl = b.webhookUrl;
        this.webhookSslContext = b.webhookSslContext;
        this.deliveryDelay = b.deliveryDelay;
        this.sendReadReceipts = b.sendReadReceipts;
        this.undeliverableDigits = b.undeliverableNumbers.stream()
                .map(CloudApiSimulator::digits)
                .collect(Collectors.toUnmodifiableSet());
        this.maxMessagesPerSecond = b.maxMessagesPerSecond;
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
            if (webhookUrl != null) {
                webhooks = new WebhookSender(webhookUrl, phoneNumberId, appSecret, webhookSslContext, mapper);
                webhooks.start();
            }
            try {
                server = WebServer.builder()
                        .host(host)
                        .port(requestedPort)
                        .shutdownHook(false)
                        .routing(routing -> routing
                                .post("/{version}/{phoneNumberId}/messages", this::handleSend)
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
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port() + "/" + API_VERSION);
    }

    /** A snapshot of the accepted messages, in the order they were accepted. */
    public List<ReceivedMessage> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many messages were accepted (since the last {@link #clearReceived()}). */
    public int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }

    /** Forgets the accepted messages. */
    public void clearReceived() {
        synchronized (received) {
            received.clear();
        }
    }

    /**
     * Makes the next {@code count} otherwise valid sends fail with the Cloud API error {@code errorCode} and the
     * HTTP status the Cloud API pairs with it (500 for 131000, 400 for the others). Calls queue up in order.
     */
    public void injectErrors(int errorCode, int count) {
        if (count <= 0) {
            return;
        }
        synchronized (injectedErrors) {
            injectedErrors.addLast(new int[] {errorCode, count});
            injectedPending.addAndGet(count);
        }
    }

    /** Changes the per-phone-number throughput limit; {@code <= 0} lifts it. */
    public void setMaxMessagesPerSecond(double rate) {
        this.maxMessagesPerSecond = rate;
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

    // ---------------------------------------------------------------------------------------------------------
    // request handling

    private void handleSend(ServerRequest req, ServerResponse res) {
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
            message = parse(requestBody);
        } catch (InvalidRequest e) {
            sendError(res, CloudApiErrors.of(mapper, CloudApiErrors.INVALID_PARAMETER, e.message, e.details));
            return;
        }

        Integer injected = takeInjectedError();
        if (injected != null) {
            sendError(res, CloudApiErrors.of(mapper, injected));
            return;
        }
        TokenBucket bucket = buckets.computeIfAbsent(pathPhoneNumberId, id -> new TokenBucket());
        if (!bucket.tryAcquire(maxMessagesPerSecond, System.nanoTime())) {
            sendError(res, CloudApiErrors.of(mapper, CloudApiErrors.RATE_LIMIT_HIT));
            return;
        }

        String wamid = "wamid." + CloudApiErrors.randomToken(30);
        String waId = digits(message.to);
        synchronized (received) {
            received.add(new ReceivedMessage(wamid, pathPhoneNumberId, message.to, message.body,
                    message.callbackData, Instant.now()));
        }
        scheduleWebhooks(wamid, waId, message.callbackData);

        ObjectNode answer = mapper.createObjectNode();
        answer.put("messaging_product", "whatsapp");
        ObjectNode contact = answer.putArray("contacts").addObject();
        contact.put("input", message.to);
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
        return MessageDigest.isEqual(presented, accessToken);
    }

    private Integer takeInjectedError() {
        if (injectedPending.get() == 0) {
            return null;
        }
        synchronized (injectedErrors) {
            int[] head = injectedErrors.peekFirst();
            if (head == null) {
                return null;
            }
            if (--head[1] == 0) {
                injectedErrors.pollFirst();
            }
            injectedPending.decrementAndGet();
            return head[0];
        }
    }

    private void scheduleWebhooks(String wamid, String recipientId, String callbackData) {
        WebhookSender sender = webhooks;
        if (sender == null) {
            return;
        }
        sender.schedule(wamid, recipientId, callbackData, "sent", null, Duration.ZERO);
        if (undeliverableDigits.contains(recipientId)) {
            sender.schedule(wamid, recipientId, callbackData, "failed", CloudApiErrors.UNDELIVERABLE, deliveryDelay);
            return;
        }
        sender.schedule(wamid, recipientId, callbackData, "delivered", null, deliveryDelay);
        if (sendReadReceipts) {
            sender.schedule(wamid, recipientId, callbackData, "read", null, deliveryDelay);
        }
    }

    private record OutgoingText(String to, String body, String callbackData) {
    }

    private static final class InvalidRequest extends Exception {
        private final String message;
        private final String details;

        InvalidRequest(String details) {
            this("(#100) Invalid parameter", details);
        }

        InvalidRequest(String message, String details) {
            super(details, null, false, false);
            this.message = message;
            this.details = details;
        }
    }

    private OutgoingText parse(byte[] requestBody) throws InvalidRequest {
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

    private static String digits(String phoneNumber) {
        StringBuilder sb = new StringBuilder(phoneNumber.length());
        for (int i = 0; i < phoneNumber.length(); i++) {
            char c = phoneNumber.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
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
            return new CloudApiSimulator(this);
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
        Map<String, String> options;
        try {
            options = parseFlags(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.containsKey("help")) {
            System.out.println(USAGE);
            return;
        }
        CloudApiSimulator simulator;
        try {
            simulator = fromOptions(options).build();
        } catch (RuntimeException | IOException | GeneralSecurityException e) {
            System.err.println("cannot configure the simulator: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "cloud-api-simulator-shutdown"));
        simulator.start();
        System.out.println("WhatsApp Cloud API simulator listening at " + simulator.baseUri()
                + " (phone-number-id " + simulator.phoneNumberId + ", rate "
                + (simulator.maxMessagesPerSecond > 0 ? simulator.maxMessagesPerSecond + "/s" : "unlimited") + ")");
        System.out.println(simulator.webhookUrl == null
                ? "Status webhooks: disabled"
                : "Status webhooks: POST " + simulator.webhookUrl);
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final String USAGE = """
            usage: CloudApiSimulator --access-token TOKEN --phone-number-id ID [--host 127.0.0.1] [--port 0]
                   [--app-secret SECRET --webhook-url URL [--webhook-ca CA.pem]] [--rate 80]
                   [--delivery-delay-ms 0] [--read-receipts] [--undeliverable +49151...,+1555...]
            Each flag falls back to an environment variable: SIM_HOST, SIM_PORT, SIM_ACCESS_TOKEN,
            SIM_PHONE_NUMBER_ID, SIM_APP_SECRET, SIM_WEBHOOK_URL, SIM_WEBHOOK_CA, SIM_RATE,
            SIM_DELIVERY_DELAY_MS, SIM_READ_RECEIPTS, SIM_UNDELIVERABLE.""";

    private static final Set<String> FLAGS = Set.of("host", "port", "access-token", "phone-number-id",
            "app-secret", "webhook-url", "webhook-ca", "rate", "delivery-delay-ms", "read-receipts",
            "undeliverable", "help");
    private static final Set<String> SWITCHES = Set.of("read-receipts", "help");

    static Map<String, String> parseFlags(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown flag: --" + name);
            }
            if (value == null) {
                if (SWITCHES.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("flag --" + name + " needs a value");
                }
            }
            options.put(name, value);
        }
        for (String flag : FLAGS) {
            String env = System.getenv("SIM_" + flag.toUpperCase().replace('-', '_'));
            if (!options.containsKey(flag) && env != null && !env.isBlank()) {
                options.put(flag, env);
            }
        }
        return options;
    }

    static Builder fromOptions(Map<String, String> options) throws IOException, GeneralSecurityException {
        Builder builder = builder()
                .accessToken(options.get("access-token"))
                .phoneNumberId(options.get("phone-number-id"))
                .appSecret(options.get("app-secret"));
        if (options.containsKey("host")) {
            builder.host(options.get("host"));
        }
        if (options.containsKey("port")) {
            builder.port(Integer.parseInt(options.get("port").trim()));
        }
        if (options.containsKey("webhook-url")) {
            builder.webhookUrl(URI.create(options.get("webhook-url").trim()));
        }
        if (options.containsKey("webhook-ca")) {
            builder.webhookSslContext(sslContextTrusting(Path.of(options.get("webhook-ca").trim())));
        }
        if (options.containsKey("rate")) {
            builder.maxMessagesPerSecond(Double.parseDouble(options.get("rate").trim()));
        }
        if (options.containsKey("delivery-delay-ms")) {
            builder.deliveryDelay(Duration.ofMillis(Long.parseLong(options.get("delivery-delay-ms").trim())));
        }
        if (options.containsKey("read-receipts")) {
            builder.sendReadReceipts(Boolean.parseBoolean(options.get("read-receipts").trim()));
        }
        if (options.containsKey("undeliverable")) {
            builder.undeliverableNumbers(Arrays.stream(options.get("undeliverable").split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toSet()));
        }
        return builder;
    }

    /** An SSL context that trusts exactly the certificates in a PEM file (such as a development CA). */
    static SSLContext sslContextTrusting(Path pemFile) throws IOException, GeneralSecurityException {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        try (InputStream in = Files.newInputStream(pemFile)) {
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trustStore.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + pemFile);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
