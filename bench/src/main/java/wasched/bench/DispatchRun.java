package wasched.bench;

import io.grpc.ManagedChannel;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import wasched.server.crypto.FieldCipher;
import wasched.server.crypto.Keyring;
import wasched.server.security.Pem;
import wasched.simulator.CloudApiSimulator;
import wasched.simulator.ReceivedMessage;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.LoginRequest;
import wasched.v1.Recipient;
import wasched.v1.RecipientServiceGrpc;

/**
 * One dispatch experiment: the simulator (in this JVM, limits lifted, webhooks on), one or more
 * server processes on a fresh database, recipients made through the API, and messages inserted
 * straight into PostgreSQL — sealed with the server's own keyring exactly as the API would — so
 * that the set-up costs nothing in the measured window.
 */
final class DispatchRun implements AutoCloseable {
    private final BenchContext ctx;
    final CloudApiSimulator simulator;
    final List<ServerProcess> servers = new ArrayList<>();
    private final List<UUID> recipients = new ArrayList<>();
    private UUID owner;
    final Map<UUID, Instant> scheduled = new HashMap<>();

    private DispatchRun(BenchContext ctx, CloudApiSimulator simulator) {
        this.ctx = ctx;
        this.simulator = simulator;
    }

    static DispatchRun start(BenchContext ctx, String name, Map<String, String> env, int replicas)
            throws Exception {
        int simPort = ServerProcess.freePort();
        ServerProcess first = ctx.startServer(name, simPort, env);
        DispatchRun run = null;
        try {
            CloudApiSimulator sim = CloudApiSimulator.builder()
                    .port(simPort)
                    .accessToken(ServerProcess.ACCESS_TOKEN)
                    .phoneNumberId(ServerProcess.PHONE_NUMBER_ID)
                    .appSecret(ServerProcess.APP_SECRET)
                    .maxMessagesPerSecond(0)
                    .webhookUrl(URI.create("https://localhost:" + first.webhookPort + "/webhooks/whatsapp"))
                    .webhookSslContext(trusting(first))
                    .build().start();
            run = new DispatchRun(ctx, sim);
            run.servers.add(first);
            for (int i = 1; i < replicas; i++) {
                run.servers.add(ctx.startReplica(first, name + "-replica" + i, simPort, env));
            }
            run.createRecipients(100);
            run.warmUp(ctx.quick ? 500 : 3000);
            return run;
        } catch (Exception e) {
            if (run != null) {
                run.close();
            } else {
                first.close();
            }
            throw e;
        }
    }

    private static SSLContext trusting(ServerProcess server) throws Exception {
        var store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", Pem.readCertificates(server.certDir().resolve("ca.pem")).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private void createRecipients(int n) throws Exception {
        ServerProcess s = servers.get(0);
        ManagedChannel ch = Tls.channel(s.grpcPort, s.certDir());
        try {
            String token = AuthServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .login(LoginRequest.newBuilder().setUsername("admin").setPassword(ServerProcess.ADMIN_PASSWORD)
                            .build()).getTokens().getAccessToken();
            var stub = RecipientServiceGrpc.newBlockingStub(ch).withCallCredentials(new BearerToken(token));
            for (int i = 0; i < n; i++) {
                String name = stub.withDeadlineAfter(10, TimeUnit.SECONDS).createRecipient(
                        CreateRecipientRequest.newBuilder().setRecipient(Recipient.newBuilder()
                                .setPhoneNumber(String.format("+4915112%06d", i)).setDisplayName("Bench Person"))
                                .build()).getRecipient().getName();
                recipients.add(UUID.fromString(name.substring("recipients/".length())));
            }
        } finally {
            ch.shutdownNow();
        }
        try (Connection c = db()) {
            ResultSet rs = c.createStatement().executeQuery("SELECT id FROM users WHERE username = 'admin'");
            rs.next();
            owner = (UUID) rs.getObject(1);
        }
    }

    /**
     * Sends a first batch and forgets it: a freshly started JVM is still compiling its send path
     * and opening connections, and that one-off cost is not what the scenarios measure.
     */
    private void warmUp(int n) throws Exception {
        Instant now = Instant.now();
        List<UUID> ids = insert(n, i -> now);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (simulator.receivedCount() < ids.size() || recordedSent() < ids.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("warm-up did not finish: " + simulator.receivedCount() + " of " + n);
            }
            Thread.sleep(50);
        }
        simulator.clearReceived();
        ids.forEach(scheduled::remove);
        warmedUp = ids.size();
    }

    /** Messages sent during warm-up; already in SENT or later states. */
    private int warmedUp;

    Connection db() throws Exception {
        return ctx.db.connect(servers.get(0).database + "?reWriteBatchedInserts=true");
    }

    /** Inserts {@code n} messages due at {@code sendAt(i)}, sealed with the server's keyring. */
    List<UUID> insert(int n, IntFunction<Instant> sendAt) throws Exception {
        FieldCipher cipher = new FieldCipher(Keyring.loadOrCreate(
                servers.get(0).stateDir.resolve("keys").resolve("keyring.json")));
        List<UUID> ids = new ArrayList<>(n);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try (Connection c = db()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO messages (id, owner_id, recipient_id, body_ct, send_at, time_zone, state,
                        next_attempt_at, attempt_count, created_at, updated_at, version)
                    VALUES (?, ?, ?, ?, ?, 'UTC', 'SCHEDULED', ?, 0, ?, ?, 0)""")) {
                for (int i = 0; i < n; i++) {
                    UUID id = UUID.randomUUID();
                    Instant due = sendAt.apply(i).truncatedTo(ChronoUnit.MICROS);
                    ps.setObject(1, id);
                    ps.setObject(2, owner);
                    ps.setObject(3, recipients.get(i % recipients.size()));
                    ps.setString(4, cipher.seal("Bench message " + i + ": your parcel arrives tomorrow.",
                            FieldCipher.aad("messages", "body", id)));
                    ps.setTimestamp(5, Timestamp.from(due));
                    ps.setTimestamp(6, Timestamp.from(due));
                    ps.setTimestamp(7, Timestamp.from(now));
                    ps.setTimestamp(8, Timestamp.from(now));
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                    ids.add(id);
                    scheduled.put(id, due);
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return ids;
    }

    /** What happened to a batch of messages. */
    record Outcome(Instant firstClaim, Instant lastRecorded, List<ReceivedMessage> receipts, boolean complete) {
        double deliveriesPerSecond(int n) {
            return n / (Duration.between(firstClaim, lastRecorded).toNanos() / 1e9);
        }
    }

    /**
     * Waits until every message was received by the simulator and recorded as sent, then checks
     * that each was received exactly once; reports violations to the context.
     */
    Outcome await(List<UUID> ids, Duration timeout, String scenario) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean complete = false;
        while (System.nanoTime() < deadline) {
            if (simulator.receivedCount() >= ids.size() && recordedSent() >= ids.size() + warmedUp) {
                complete = true;
                break;
            }
            Thread.sleep(50);
        }
        List<ReceivedMessage> receipts = simulator.received();
        Map<String, Integer> counts = new HashMap<>();
        receipts.forEach(r -> counts.merge(r.callbackData(), 1, Integer::sum));
        long lost = ids.stream().filter(id -> !counts.containsKey(id.toString())).count();
        long doubled = counts.values().stream().filter(c -> c > 1).count();
        if (lost > 0) {
            ctx.violation(scenario + ": " + lost + " of " + ids.size() + " messages never reached the provider");
        }
        if (doubled > 0) {
            ctx.violation(scenario + ": " + doubled + " messages reached the provider more than once");
        }
        if (!complete) {
            ctx.violation(scenario + ": not every message was recorded as sent within " + timeout);
        }
        try (Connection c = db()) {
            PreparedStatement ps = c.prepareStatement("""
                    SELECT (SELECT min(at) FROM message_transitions WHERE to_state = 'SENDING' AND message_id = ANY (?)),
                           (SELECT max(at) FROM message_transitions WHERE to_state = 'SENT' AND message_id = ANY (?))""");
            java.sql.Array batch = c.createArrayOf("uuid", ids.toArray());
            ps.setArray(1, batch);
            ps.setArray(2, batch);
            ResultSet rs = ps.executeQuery();
            rs.next();
            return new Outcome(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(), receipts, complete);
        }
    }

    private long recordedSent() throws Exception {
        try (Connection c = db()) {
            ResultSet rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM messages WHERE state IN ('SENT', 'DELIVERED', 'READ')");
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
        simulator.close();
    }
}
