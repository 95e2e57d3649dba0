package wasched.server.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link Settings} from {@code application.yaml} (classpath, then an optional file named by
 * {@code WASCHED_CONFIG}), overridden by environment variables. Every secret can also come from a
 * file: {@code WASCHED_DB_PASSWORD_FILE=/run/secrets/db} wins over {@code WASCHED_DB_PASSWORD}.
 */
public final class SettingsLoader {
    private final Map<String, String> env;
    private final Config yaml;

    private SettingsLoader(Map<String, String> env, Config yaml) {
        this.env = env;
        this.yaml = yaml;
    }

    /** Loads settings from the classpath YAML, an optional external YAML and the given environment. */
    public static Settings load(Map<String, String> env) {
        var builder = Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource();
        String external = env.get("WASCHED_CONFIG");
        if (external != null && !external.isBlank()) {
            builder.addSource(ConfigSources.file(Path.of(external)));
        }
        builder.addSource(ConfigSources.classpath("application.yaml").optional());
        return new SettingsLoader(env, builder.build()).settings();
    }

    private Settings settings() {
        Settings defaults = Settings.builder().build();
        Path stateDir = Path.of(string("state-dir", "WASCHED_STATE_DIR").orElse(defaults.stateDir().toString()));
        Settings.Builder b = Settings.builder().stateDir(stateDir);
        b.grpc(new Settings.Listen(
                string("grpc.host", "WASCHED_GRPC_HOST").orElse(defaults.grpc().host()),
                integer("grpc.port", "WASCHED_GRPC_PORT", defaults.grpc().port())));
        b.webhook(new Settings.Listen(
                string("webhook.host", "WASCHED_WEBHOOK_HOST").orElse(defaults.webhook().host()),
                integer("webhook.port", "WASCHED_WEBHOOK_PORT", defaults.webhook().port())));
        b.admin(new Settings.Listen(
                string("admin.host", "WASCHED_ADMIN_HOST").orElse(defaults.admin().host()),
                integer("admin.port", "WASCHED_ADMIN_PORT", defaults.admin().port())));
        b.database(new Settings.Database(
                string("db.url", "WASCHED_DB_URL"),
                string("db.user", "WASCHED_DB_USER").orElse(defaults.database().user()),
                secret("db.password", "WASCHED_DB_PASSWORD"),
                integer("db.pool-size", "WASCHED_DB_POOL_SIZE", defaults.database().poolSize())));
        b.tls(new Settings.Tls(
                string("tls.cert-chain", "WASCHED_TLS_CERT_FILE").map(Path::of),
                string("tls.private-key", "WASCHED_TLS_KEY_FILE").map(Path::of),
                string("tls.client-ca", "WASCHED_TLS_CLIENT_CA_FILE").map(Path::of)));
        Settings.Auth da = Settings.builder().stateDir(stateDir).build().auth();
        b.auth(new Settings.Auth(
                string("auth.jwt-key-file", "WASCHED_JWT_KEY_FILE").map(Path::of).orElse(da.jwtKeyFile()),
                string("auth.issuer", "WASCHED_JWT_ISSUER").orElse(da.issuer()),
                string("auth.audience", "WASCHED_JWT_AUDIENCE").orElse(da.audience()),
                duration("auth.access-token-ttl", "WASCHED_ACCESS_TOKEN_TTL", da.accessTokenTtl()),
                duration("auth.refresh-token-ttl", "WASCHED_REFRESH_TOKEN_TTL", da.refreshTokenTtl()),
                string("auth.bootstrap-admin", "WASCHED_BOOTSTRAP_ADMIN").orElse(da.bootstrapAdminUsername()),
                string("auth.bootstrap-admin-password-file", "WASCHED_BOOTSTRAP_ADMIN_PASSWORD_FILE").map(Path::of),
                integer("auth.max-concurrent-hashes", "WASCHED_MAX_CONCURRENT_HASHES",
                        da.maxConcurrentPasswordHashes())));
        Settings.Provider dp = defaults.provider();
        b.provider(new Settings.Provider(
                string("whatsapp.base-url", "WASCHED_WHATSAPP_BASE_URL").orElse(dp.baseUrl()),
                string("whatsapp.phone-number-id", "WASCHED_WHATSAPP_PHONE_NUMBER_ID").orElse(dp.phoneNumberId()),
                secret("whatsapp.access-token", "WASCHED_WHATSAPP_ACCESS_TOKEN"),
                secret("whatsapp.app-secret", "WASCHED_WHATSAPP_APP_SECRET"),
                secret("whatsapp.verify-token", "WASCHED_WHATSAPP_VERIFY_TOKEN"),
                duration("whatsapp.request-timeout", "WASCHED_WHATSAPP_REQUEST_TIMEOUT", dp.requestTimeout())));
        Settings.Dispatch dd = defaults.dispatch();
        b.dispatch(new Settings.Dispatch(
                integer("dispatch.claim-batch-size", "WASCHED_DISPATCH_BATCH_SIZE", dd.claimBatchSize()),
                integer("dispatch.max-concurrent-sends", "WASCHED_DISPATCH_CONCURRENCY", dd.maxConcurrentSends()),
                duration("dispatch.poll-interval", "WASCHED_DISPATCH_POLL_INTERVAL", dd.pollInterval()),
                duration("dispatch.lease", "WASCHED_DISPATCH_LEASE", dd.leaseDuration()),
                integer("dispatch.max-attempts", "WASCHED_DISPATCH_MAX_ATTEMPTS", dd.maxAttempts()),
                Double.parseDouble(string("dispatch.messages-per-second", "WASCHED_DISPATCH_RATE")
                        .orElse(Double.toString(dd.messagesPerSecond()))),
                duration("dispatch.drain-timeout", "WASCHED_DISPATCH_DRAIN_TIMEOUT", dd.drainTimeout())));
        Settings.Limits dl = defaults.limits();
        b.limits(new Settings.Limits(
                integer("limits.max-inbound-message-bytes", "WASCHED_MAX_INBOUND_MESSAGE_BYTES",
                        dl.maxInboundMessageBytes()),
                integer("limits.max-page-size", "WASCHED_MAX_PAGE_SIZE", dl.maxPageSize()),
                integer("limits.requests-per-minute", "WASCHED_REQUESTS_PER_MINUTE", dl.requestsPerMinute()),
                duration("limits.deleted-message-retention", "WASCHED_DELETED_MESSAGE_RETENTION",
                        dl.deletedMessageRetention())));
        return b.build();
    }

    private Optional<String> string(String key, String envName) {
        String v = env.get(envName);
        if (v != null && !v.isBlank()) {
            return Optional.of(v.trim());
        }
        return yaml.get("wasched").get(key).asString().asOptional().filter(s -> !s.isBlank());
    }

    /** A secret: the file named by {@code envName_FILE} (or key "-file"), else the value itself. */
    private Optional<String> secret(String key, String envName) {
        Optional<String> file = string(key + "-file", envName + "_FILE");
        if (file.isPresent()) {
            try {
                return Optional.of(Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read secret file for " + envName + ": " + file.get(), e);
            }
        }
        return string(key, envName);
    }

    private int integer(String key, String envName, int dflt) {
        return string(key, envName).map(s -> parse(envName, s, Integer::parseInt)).orElse(dflt);
    }

    private Duration duration(String key, String envName, Duration dflt) {
        return string(key, envName).map(s -> parse(envName, s, SettingsLoader::parseDuration)).orElse(dflt);
    }

    /** Accepts ISO-8601 ("PT30S") or a number with a unit: 500ms, 30s, 5m, 2h, 7d. */
    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase();
        if (v.startsWith("p")) {
            return Duration.parse(v.toUpperCase());
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("unknown duration unit in " + s);
        };
    }

    private static <T> T parse(String name, String value, java.util.function.Function<String, T> f) {
        try {
            return f.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid value for " + name + ": " + value, e);
        }
    }
}
