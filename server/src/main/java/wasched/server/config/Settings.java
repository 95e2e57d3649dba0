package wasched.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Typed server settings. Built by {@link SettingsLoader} from {@code application.yaml}, environment
 * variables and {@code *_FILE} secret files, or directly through {@link #builder()} in tests.
 *
 * <p>Unset optional values select the zero-set-up defaults: no database URL starts an embedded
 * PostgreSQL, no TLS files make development certificates, no provider token starts the simulator.
 */
public record Settings(
        Path stateDir,
        Listen grpc,
        Listen webhook,
        Listen admin,
        Database database,
        Tls tls,
        Auth auth,
        Provider provider,
        Dispatch dispatch,
        Limits limits) {

    /** A listener's host and port (0 = ephemeral). */
    public record Listen(String host, int port) {}

    /** External PostgreSQL; {@code url} empty means the embedded one. */
    public record Database(Optional<String> url, String user, Optional<String> password, int poolSize) {}

    /** PEM files for the gRPC and webhook listeners; all empty means dev certificates in the state dir. */
    public record Tls(Optional<Path> certChain, Optional<Path> privateKey, Optional<Path> clientCa) {}

    /** Token settings and the first admin. */
    public record Auth(
            Path jwtKeyFile,
            String issuer,
            String audience,
            Duration accessTokenTtl,
            Duration refreshTokenTtl,
            String bootstrapAdminUsername,
            Optional<Path> bootstrapAdminPasswordFile,
            int maxConcurrentPasswordHashes) {}

    /**
     * WhatsApp Cloud API. An empty access token means "use the built-in simulator"; then the
     * base URL, token and secrets are made up at start.
     */
    public record Provider(
            String baseUrl,
            String phoneNumberId,
            Optional<String> accessToken,
            Optional<String> appSecret,
            Optional<String> verifyToken,
            Duration requestTimeout) {
        public boolean simulated() {
            return accessToken.isEmpty();
        }
    }

    /** Dispatcher tuning. */
    public record Dispatch(
            int claimBatchSize,
            int maxConcurrentSends,
            Duration pollInterval,
            Duration leaseDuration,
            int maxAttempts,
            double messagesPerSecond,
            Duration drainTimeout) {}

    /**
     * Request limits; {@code requestsPerMinute} is per caller and method, 0 = unlimited.
     * {@code deletedMessageRetention}: how long deleted messages stay before RunRetention purges them.
     */
    public record Limits(int maxInboundMessageBytes, int maxPageSize, int requestsPerMinute,
            Duration deletedMessageRetention) {
        public Limits(int maxInboundMessageBytes, int maxPageSize, int requestsPerMinute) {
            this(maxInboundMessageBytes, maxPageSize, requestsPerMinute, Duration.ofDays(90));
        }
    }

    public Path keyringFile() {
        return stateDir.resolve("keys").resolve("keyring.json");
    }

    public Path devCertDir() {
        return stateDir.resolve("certs");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private Path stateDir = Path.of(".wasched");
        private Listen grpc = new Listen("0.0.0.0", 8443);
        private Listen webhook = new Listen("0.0.0.0", 8444);
        private Listen admin = new Listen("127.0.0.1", 9090);
        private Database database = new Database(Optional.empty(), "wasched", Optional.empty(), 10);
        private Tls tls = new Tls(Optional.empty(), Optional.empty(), Optional.empty());
        private Auth auth;
        private Provider provider = new Provider(
                "https://graph.facebook.com/v21.0", "", Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(10));
        private Dispatch dispatch = new Dispatch(200, 256, Duration.ofMillis(500), Duration.ofSeconds(60), 8, 80.0,
                Duration.ofSeconds(10));
        private Limits limits = new Limits(1024 * 1024, 1000, 100);

        public Builder stateDir(Path v) { stateDir = v; return this; }
        public Builder grpc(Listen v) { grpc = v; return this; }
        public Builder webhook(Listen v) { webhook = v; return this; }
        public Builder admin(Listen v) { admin = v; return this; }
        public Builder database(Database v) { database = v; return this; }
        public Builder tls(Tls v) { tls = v; return this; }
        public Builder auth(Auth v) { auth = v; return this; }
        public Builder provider(Provider v) { provider = v; return this; }
        public Builder dispatch(Dispatch v) { dispatch = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }

        public Settings build() {
            Auth a = auth != null ? auth : new Auth(stateDir.resolve("keys").resolve("jwt-signing.jwk"), "wasched",
                    "wasched-api", Duration.ofMinutes(30), Duration.ofDays(7), "admin", Optional.empty(), 4);
            return new Settings(stateDir, grpc, webhook, admin, database, tls, a, provider, dispatch, limits);
        }
    }
}
