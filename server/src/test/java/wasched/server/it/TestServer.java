package wasched.server.it;

import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import wasched.server.WaschedServer;
import wasched.server.config.Settings;
import wasched.server.security.MutableClock;
import wasched.v1.AdminServiceGrpc;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.CreateUserRequest;
import wasched.v1.LoginRequest;
import wasched.v1.RecipientServiceGrpc;
import wasched.v1.Role;
import wasched.v1.SchedulingServiceGrpc;
import wasched.v1.User;

/**
 * A real server for integration tests: embedded PostgreSQL, dev PKI, mTLS listener on an ephemeral
 * port, the built-in provider simulator, and a settable clock. Clients are grpc-java Netty
 * channels with the dev client certificate; every stub call gets a deadline.
 */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "test-admin-password-" + java.util.UUID.randomUUID();

    public final MutableClock clock = new MutableClock(Instant.now());
    public final Path stateDir;
    public final WaschedServer server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** A server without a request rate limit (tests run many calls on a clock that barely moves). */
    public TestServer() {
        this(0);
    }

    /** A server allowing {@code requestsPerMinute} calls per caller and method (0 = unlimited). */
    public TestServer(int requestsPerMinute) {
        try {
            stateDir = Files.createTempDirectory("wasched-it");
            Path adminPassword = stateDir.resolve("admin-password");
            Files.writeString(adminPassword, ADMIN_PASSWORD);
            Settings defaults = Settings.builder().stateDir(stateDir).build();
            Settings settings = Settings.builder()
                    .stateDir(stateDir)
                    .grpc(new Settings.Listen("127.0.0.1", 0))
                    .webhook(new Settings.Listen("127.0.0.1", 0))
                    .admin(new Settings.Listen("127.0.0.1", 0))
                    .auth(new Settings.Auth(defaults.auth().jwtKeyFile(), "wasched", "wasched-api",
                            Duration.ofMinutes(30), Duration.ofDays(7), "admin", Optional.of(adminPassword), 4))
                    .dispatch(new Settings.Dispatch(100, 16, Duration.ofMillis(100), Duration.ofSeconds(60), 8, 0,
                            Duration.ofSeconds(5)))
                    .limits(new Settings.Limits(1024 * 1024, 1000, requestsPerMinute))
                    .build();
            server = WaschedServer.start(settings, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path certs() {
        return stateDir.resolve("certs");
    }

    /** A channel presenting the given client certificate (PKCS#8 key), trusting the dev CA. */
    public ManagedChannel channel(Path cert, Path key) {
        try {
            ManagedChannel ch = NettyChannelBuilder.forAddress("localhost", server.grpcPort())
                    .sslContext(GrpcSslContexts.forClient()
                            .trustManager(certs().resolve("ca.pem").toFile())
                            .keyManager(cert.toFile(), key.toFile())
                            .protocols("TLSv1.3")
                            .build())
                    .build();
            channels.add(ch);
            return ch;
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public ManagedChannel channel() {
        return channel(certs().resolve("client.pem"), certs().resolve("client-key.pem"));
    }

    /** A channel with no client certificate at all. */
    public ManagedChannel channelWithoutClientCert() {
        try {
            ManagedChannel ch = NettyChannelBuilder.forAddress("localhost", server.grpcPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(certs().resolve("ca.pem").toFile()).build())
                    .build();
            channels.add(ch);
            return ch;
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String login(String username, String password) {
        return AuthServiceGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build())
                .getTokens().getAccessToken();
    }

    public String adminToken() {
        return login("admin", ADMIN_PASSWORD);
    }

    /** Creates a user (as admin) and returns its access token. */
    public String userToken(String username, Role role) {
        String password = "pw-" + username + "-long-enough";
        AdminServiceGrpc.newBlockingStub(channel()).withCallCredentials(bearer(adminToken()))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .createUser(CreateUserRequest.newBuilder()
                        .setUser(User.newBuilder().setUsername(username).setRole(role)).setPassword(password).build());
        return login(username, password);
    }

    public static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(m);
            }
        };
    }

    public SchedulingServiceGrpc.SchedulingServiceBlockingStub scheduling(String token) {
        return SchedulingServiceGrpc.newBlockingStub(channel()).withCallCredentials(bearer(token))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public RecipientServiceGrpc.RecipientServiceBlockingStub recipients(String token) {
        return RecipientServiceGrpc.newBlockingStub(channel()).withCallCredentials(bearer(token))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** Creates a recipient as the token's user and returns its resource name. */
    public String createRecipient(String token, String phone, String displayName) {
        return recipients(token).createRecipient(wasched.v1.CreateRecipientRequest.newBuilder()
                .setRecipient(wasched.v1.Recipient.newBuilder().setPhoneNumber(phone).setDisplayName(displayName))
                .build()).getRecipient().getName();
    }

    /** Moves the clock and wakes the dispatcher, as the passing of time would. */
    public void advance(Duration d) {
        clock.advance(d);
        server.dispatcher().wake();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        server.close();
        deleteTree(stateDir.toFile());
    }

    private static void deleteTree(File f) {
        File[] children = f.listFiles();
        if (children != null) {
            for (File c : children) {
                deleteTree(c);
            }
        }
        f.delete();
    }
}
