package wasched.simulator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** Runs a standalone simulator configured from command-line flags and {@code SIM_*} environment variables. */
final class CommandLine {

    static final String USAGE = """
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

    private CommandLine() {
    }

    /** See {@link CloudApiSimulator#main(String[])}; blocks until the JVM shuts down. */
    static void run(String[] args) {
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
        SimulatorConfig config = simulator.config();
        double rate = simulator.maxMessagesPerSecond();
        System.out.println("WhatsApp Cloud API simulator listening at " + simulator.baseUri()
                + " (phone-number-id " + config.phoneNumberId() + ", rate "
                + (rate > 0 ? rate + "/s" : "unlimited") + ")");
        System.out.println(config.webhookUrl() == null
                ? "Status webhooks: disabled"
                : "Status webhooks: POST " + config.webhookUrl());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads {@code --name value}, {@code --name=value} and bare switches; flags not given fall back to non-blank
     * {@code SIM_NAME} environment variables.
     *
     * @throws IllegalArgumentException for an unknown flag, a stray argument or a missing value
     */
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

    /** A builder set up from parsed options; {@link CloudApiSimulator.Builder#build()} checks what is required. */
    static CloudApiSimulator.Builder fromOptions(Map<String, String> options)
            throws IOException, GeneralSecurityException {
        CloudApiSimulator.Builder builder = CloudApiSimulator.builder()
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
            builder.webhookSslContext(PemTrust.sslContextTrusting(Path.of(options.get("webhook-ca").trim())));
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
}
