package wasched.server;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.protobuf.services.HealthStatusManager;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcReflectionFeature;
import io.helidon.webserver.grpc.GrpcRouting;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.logging.Logger;
import wasched.server.api.AdminApi;
import wasched.server.api.AuthApi;
import wasched.server.api.RecipientApi;
import wasched.server.api.SchedulingApi;
import wasched.server.audit.AuditLog;
import wasched.server.config.Settings;
import wasched.server.crypto.BlindIndex;
import wasched.server.crypto.FieldCipher;
import wasched.server.crypto.KeyRotationStatus;
import wasched.server.crypto.Keyring;
import wasched.server.dispatch.CloudApiClient;
import wasched.server.dispatch.DeliveryStore;
import wasched.server.dispatch.DueListener;
import wasched.server.dispatch.Dispatcher;
import wasched.server.dispatch.ManagedExecutor;
import wasched.server.dispatch.RateLimiter;
import wasched.server.dispatch.RetryPolicy;
import wasched.server.dispatch.WebhookHandler;
import wasched.server.persistence.DatabaseRuntime;
import wasched.server.recipient.RecipientDirectory;
import wasched.server.schedule.MessageScheduler;
import wasched.server.security.AuthenticationInterceptor;
import wasched.server.security.Authenticator;
import wasched.server.security.AuthorizationInterceptor;
import wasched.server.security.PasswordHasher;
import wasched.server.security.RateLimitInterceptor;
import wasched.server.security.RequestRateLimiter;
import wasched.server.security.TokenService;
import wasched.server.security.UserAccounts;
import wasched.simulator.CloudApiSimulator;
import wasched.v1.AdminProto;
import wasched.v1.AuthProto;
import wasched.v1.RecipientProto;
import wasched.v1.SchedulingProto;

/**
 * A running wasched server. Start-up order: database and migrations, keys and certificates, first
 * admin, the Helidon WebServer (gRPC with mTLS, webhook with server TLS, admin over plain HTTP on
 * localhost), the provider (the built-in simulator unless credentials are configured), then the
 * dispatcher. {@link #close()} stops them in reverse: no new calls, stop claiming and drain sends,
 * stop the simulator, close the database.
 */
public final class WaschedServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WaschedServer.class.getName());

    private final DatabaseRuntime database;
    private final WebServer webServer;
    private final Dispatcher dispatcher;
    private final DueListener dueListener;
    private final CloudApiSimulator simulator;
    private final TlsMaterial tls;
    private final HealthStatusManager health;

    private WaschedServer(DatabaseRuntime database, WebServer webServer, Dispatcher dispatcher,
            DueListener dueListener, CloudApiSimulator simulator, TlsMaterial tls, HealthStatusManager health) {
        this.database = database;
        this.webServer = webServer;
        this.dispatcher = dispatcher;
        this.dueListener = dueListener;
        this.simulator = simulator;
        this.tls = tls;
        this.health = health;
    }

    public static WaschedServer start(Settings settings, Clock clock) {
        TlsMaterial tls = TlsMaterial.resolve(settings, clock);
        DatabaseRuntime db = DatabaseRuntime.start(settings);
        try {
            return wire(settings, clock, tls, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static WaschedServer wire(Settings settings, Clock clock, TlsMaterial tls, DatabaseRuntime db) {
        var tx = db.transactions();
        Keyring keyring = Keyring.loadOrCreate(settings.keyringFile());
        FieldCipher cipher = new FieldCipher(keyring);
        Settings.Auth auth = settings.auth();
        PasswordHasher hasher = new PasswordHasher(auth.maxConcurrentPasswordHashes());
        TokenService tokens = new TokenService(auth.jwtKeyFile(), auth.issuer(), auth.audience(), clock);
        AuditLog audit = new AuditLog(db.dataSource(), clock);
        UserAccounts users = new UserAccounts(tx, hasher, clock, audit);
        users.bootstrapAdmin(auth.bootstrapAdminUsername(), auth.bootstrapAdminPasswordFile(),
                settings.stateDir().resolve("bootstrap-admin-password"));
        Authenticator authenticator = new Authenticator(users, hasher, tokens, tx, clock, auth.accessTokenTtl(),
                auth.refreshTokenTtl(), audit);
        RecipientDirectory recipients = new RecipientDirectory(tx, cipher, new BlindIndex(keyring), clock);
        DispatcherRef dispatcherRef = new DispatcherRef();
        MessageScheduler scheduler = new MessageScheduler(tx, cipher, recipients, clock);
        DeliveryStore store = new DeliveryStore(tx, db.dataSource(), recipients, scheduler, clock);

        Settings.Provider provider = settings.provider();
        String appSecret = provider.appSecret().orElseGet(WaschedServer::randomSecret);
        String verifyToken = provider.verifyToken().orElseGet(WaschedServer::randomSecret);
        WebhookHandler webhook = new WebhookHandler(store, appSecret, verifyToken);

        HealthStatusManager health = new HealthStatusManager();
        var authn = new AuthenticationInterceptor(authenticator);
        var authz = new AuthorizationInterceptor();
        var rateLimit = new RateLimitInterceptor(new RequestRateLimiter(settings.limits().requestsPerMinute(), clock));
        int maxPage = settings.limits().maxPageSize();
        GrpcRouting.Builder grpc = GrpcRouting.builder()
                .service(AuthProto.getDescriptor(),
                        secured(new AuthApi(authenticator), authn, rateLimit, authz))
                .service(RecipientProto.getDescriptor(),
                        secured(new RecipientApi(recipients, scheduler, maxPage), authn, rateLimit, authz))
                .service(SchedulingProto.getDescriptor(),
                        secured(new SchedulingApi(scheduler, maxPage), authn, rateLimit, authz))
                .service(AdminProto.getDescriptor(),
                        secured(new AdminApi(users, new KeyRotationStatus(keyring, db.dataSource()), audit,
                                scheduler, settings.limits().deletedMessageRetention(), maxPage),
                                authn, rateLimit, authz))
                .service(io.grpc.health.v1.HealthProto.getDescriptor(), health.getHealthService());

        WebServer ws = WebServer.builder()
                .host(settings.grpc().host())
                .port(settings.grpc().port())
                .tls(tls.mutual())
                // Helidon leaves Nagle on; small gRPC replies then wait for delayed ACKs (~40 ms).
                .connectionOptions(o -> o.tcpNoDelay(true))
                .addProtocol(GrpcConfig.builder().maxReadBufferSize(settings.limits().maxInboundMessageBytes()).build())
                .addRouting(grpc)
                .addFeature(GrpcReflectionFeature.builder().enabled(true).build())
                .putSocket("webhook", s -> s.host(settings.webhook().host()).port(settings.webhook().port())
                        .tls(tls.serverOnly())
                        .connectionOptions(o -> o.tcpNoDelay(true))
                        .maxPayloadSize(1024 * 1024)
                        .routing(r -> r.get(WebhookHandler.PATH, webhook::verify)
                                .post(WebhookHandler.PATH, webhook::receive)))
                .putSocket("admin", s -> s.host(settings.admin().host()).port(settings.admin().port())
                        .routing(r -> r.get("/health", (req, res) -> res.send("UP"))
                                .get("/metrics", (req, res) -> res.send(Metrics.render(dispatcherRef.get())))))
                .build()
                .start();
        LOG.info(() -> "gRPC (mTLS, TLS 1.3) on port " + ws.port() + ", webhook on " + ws.port("webhook")
                + ", admin on " + ws.port("admin"));

        CloudApiSimulator simulator = null;
        CloudApiClient client;
        try {
            if (provider.simulated()) {
                String token = randomSecret();
                String phoneNumberId = "100000000000001";
                simulator = CloudApiSimulator.builder()
                        .accessToken(token)
                        .phoneNumberId(phoneNumberId)
                        .appSecret(appSecret)
                        .webhookUrl(URI.create("https://localhost:" + ws.port("webhook") + WebhookHandler.PATH))
                        .webhookSslContext(tls.trustingClientCa())
                        .build()
                        .start();
                LOG.info("no WhatsApp credentials configured: sending through the built-in simulator at "
                        + simulator.baseUri());
                client = new CloudApiClient(simulator.baseUri().toString(), phoneNumberId, token,
                        provider.requestTimeout());
            } else {
                client = new CloudApiClient(provider.baseUrl(), provider.phoneNumberId(),
                        provider.accessToken().get(), provider.requestTimeout());
            }
            Settings.Dispatch d = settings.dispatch();
            Dispatcher dispatcher = new Dispatcher(store, client,
                    new RetryPolicy(d.maxAttempts(), Duration.ofSeconds(1), Duration.ofMinutes(5), new SecureRandom()),
                    new RateLimiter(d.messagesPerSecond(), System::nanoTime),
                    new ManagedExecutor("wasched-send", d.maxConcurrentSends()), d, clock, nodeId());
            dispatcherRef.set(dispatcher);
            dispatcher.start();
            DueListener dueListener = new DueListener(db.dataSource(), dispatcher::onScheduled);
            return new WaschedServer(db, ws, dispatcher, dueListener, simulator, tls, health);
        } catch (RuntimeException e) {
            ws.stop();
            if (simulator != null) {
                simulator.close();
            }
            throw e;
        }
    }

    /**
     * Wraps a service with our interceptors. grpc-java runs the last one given first, so the order
     * of a call is: authenticate, rate-limit (now that the caller is known), authorise.
     */
    private static BindableService secured(BindableService service, AuthenticationInterceptor authn,
            RateLimitInterceptor rateLimit, AuthorizationInterceptor authz) {
        var definition = ServerInterceptors.intercept(service, authz, rateLimit, authn);
        return () -> definition;
    }

    private static String randomSecret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String nodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public int grpcPort() {
        return webServer.port();
    }

    public int webhookPort() {
        return webServer.port("webhook");
    }

    public int adminPort() {
        return webServer.port("admin");
    }

    public TlsMaterial tls() {
        return tls;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The built-in provider simulator, or null when real credentials are configured. */
    public CloudApiSimulator simulator() {
        return simulator;
    }

    public DatabaseRuntime database() {
        return database;
    }

    @Override
    public void close() {
        health.enterTerminalState();
        webServer.stop();
        dueListener.close();
        dispatcher.close();
        if (simulator != null) {
            simulator.close();
        }
        database.close();
    }

    /** Lets the admin listener's metrics route reach a dispatcher that is created after it. */
    private static final class DispatcherRef {
        private volatile Dispatcher dispatcher;

        void set(Dispatcher d) {
            dispatcher = d;
        }

        Dispatcher get() {
            return dispatcher;
        }
    }
}
