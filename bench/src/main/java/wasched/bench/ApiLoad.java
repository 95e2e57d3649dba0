package wasched.bench;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import wasched.v1.AdminServiceGrpc;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.CreateRecipientRequest;
import wasched.v1.CreateUserRequest;
import wasched.v1.LoginRequest;
import wasched.v1.Recipient;
import wasched.v1.RecipientServiceGrpc;
import wasched.v1.Role;
import wasched.v1.ScheduleMessageRequest;
import wasched.v1.SchedulingServiceGrpc;
import wasched.v1.User;

/**
 * The API under load: ScheduleMessage over mTLS with a USER's JWT, against a real server process
 * (PostgreSQL, field encryption, RBAC), first saturated (closed loop), then at half that rate (open
 * loop, latency from the intended send time). Also the server's footprint: cold start to first
 * served RPC, and RSS idle and under load. Messages are scheduled a day ahead, so nothing
 * dispatches and no provider is needed.
 */
final class ApiLoad implements BenchMain.Scenario {
    static final String SCENARIO = "api ScheduleMessage";
    static final String FOOTPRINT = "footprint";
    static final int RECIPIENTS = 100;
    static final double TARGET_RPS = 2_000;
    static final double TARGET_P99_HALF_MS = 20;
    static final double TARGET_COLD_START_MS = 3_000;
    static final double TARGET_RSS_MIB = 512;
    private static final int MAX_SERIES_POINTS = 5_000;
    private static final String USER = "bench-user";
    private static final String USER_PASSWORD = "bench-user-password-0123456789";

    @Override
    public void run(BenchContext ctx) throws Exception {
        double warmup = ctx.quick ? 2 : 5;
        double measure = ctx.quick ? 5 : 20;
        int simulatorPort = ServerProcess.freePort(); // nothing is due within the run, so nothing calls it
        // A production server starts with its class-data archive from earlier starts (bin/run and
        // the Dockerfile keep one); one throwaway start here writes it, as the first deploy would.
        try (ServerProcess training = ctx.startServer("api-training", simulatorPort, Map.of())) {
            ctx.results.add(FOOTPRINT, "first-ever cold start (no class archive)",
                    training.coldStart.toNanos() / 1e6, "ms");
        }
        try (ServerProcess server = ctx.startServer("api", simulatorPort, Map.of())) {
            double coldMs = server.coldStart.toNanos() / 1e6;
            ctx.results.add(FOOTPRINT, "cold start to first served RPC", coldMs, "ms");
            Thread.sleep(ctx.quick ? 2_000 : 3_000);
            double idleMib = mib(server.rssBytes());
            ctx.results.add(FOOTPRINT, "RSS idle", idleMib, "MiB");

            List<ManagedChannel> channels = RpcLoad.channels(server.grpcPort, server.certDir());
            try {
                ManagedChannel setup = channels.get(0);
                String adminToken = login(setup, "admin", ServerProcess.ADMIN_PASSWORD);
                withToken(AdminServiceGrpc.newBlockingStub(setup), adminToken)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .createUser(CreateUserRequest.newBuilder()
                                .setUser(User.newBuilder().setUsername(USER).setRole(Role.ROLE_USER))
                                .setPassword(USER_PASSWORD).build());
                String token = login(setup, USER, USER_PASSWORD);
                List<String> recipients = createRecipients(setup, token);
                System.out.println("    set up: user " + USER + ", " + recipients.size() + " recipients");

                List<SchedulingServiceGrpc.SchedulingServiceFutureStub> stubs = new ArrayList<>();
                for (ManagedChannel ch : channels) {
                    stubs.add(withToken(SchedulingServiceGrpc.newFutureStub(ch), token));
                }
                String runId = Long.toString(System.nanoTime(), 36);
                String body = "Reminder: your appointment is tomorrow at 10:00. Reply STOP to opt out of these messages. Thanks";
                RpcLoad.Caller call = (i, seq) -> {
                    Instant at = Instant.now().plusSeconds(86_400);
                    ScheduleMessageRequest req = ScheduleMessageRequest.newBuilder()
                            .setRecipient(recipients.get(ThreadLocalRandom.current().nextInt(recipients.size())))
                            .setBody(body)
                            .setSendTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                            .setRequestId("bench-" + runId + "-" + seq)
                            .build();
                    return stubs.get(i).withDeadlineAfter(10, TimeUnit.SECONDS).scheduleMessage(req);
                };

                // Saturation, with RSS sampled while it runs.
                AtomicBoolean sampling = new AtomicBoolean(true);
                AtomicLong maxRss = new AtomicLong();
                Thread sampler = Thread.ofVirtual().start(() -> {
                    while (sampling.get()) {
                        try {
                            maxRss.accumulateAndGet(server.rssBytes(), Math::max);
                            Thread.sleep(250);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                RpcLoad.Result sat;
                double cpuBefore = server.cpuSeconds();
                try {
                    sat = RpcLoad.closedLoop(stubs.size(), call, RpcLoad.SATURATION_CONCURRENCY, warmup, measure);
                } finally {
                    sampling.set(false);
                    sampler.join();
                }
                System.out.println("    saturation (" + RpcLoad.SATURATION_CONCURRENCY + " in flight): " + sat.summary());
                ctx.results.add(SCENARIO, "saturated RPC/s", sat.rps(), "RPC/s");
                ctx.results.add(SCENARIO, "p50 latency at saturation", sat.p50(), "ms");
                ctx.results.add(SCENARIO, "p99 latency at saturation", sat.p99(), "ms");
                ctx.results.add(SCENARIO, "errors at saturation", sat.errors(), "calls");
                // Client, server and PostgreSQL share the cores, so RPC/s says as much about the
                // load generator as the server; CPU per call is the server's own cost. Approximate:
                // the CPU of warm-up and measurement over calls at the measured rate.
                double serverCpu = server.cpuSeconds() - cpuBefore;
                ctx.results.add(SCENARIO, "server CPU per call (approx.)",
                        serverCpu * 1000 / (sat.rps() * (warmup + measure)), "ms");
                double loadMib = mib(maxRss.get());
                ctx.results.add(FOOTPRINT, "RSS under load", loadMib, "MiB");
                ratio(ctx, sat.rps(), "helidon", "ratio to Helidon echo");
                ratio(ctx, sat.rps(), "helidon-nodelay", "ratio to Helidon echo with TCP_NODELAY");
                ratio(ctx, sat.rps(), "netty", "ratio to Netty echo");

                // Half of the saturated rate, open loop.
                double half = Math.max(1, sat.rps() / 2);
                RpcLoad.Result h = RpcLoad.openLoop(stubs.size(), call, half, warmup, measure);
                System.out.println(String.format(Locale.ROOT, "    half load (%.0f/s offered): ", half) + h.summary());
                ctx.results.add(SCENARIO, "RPC/s at half load", h.rps(), "RPC/s");
                ctx.results.add(SCENARIO, "p50 latency at half load", h.p50(), "ms");
                ctx.results.add(SCENARIO, "p99 latency at half load", h.p99(), "ms");
                ctx.results.add(SCENARIO, "errors at half load", h.errors(), "calls");

                Results.Series series = ctx.results.series("api latency", "s", "ms");
                int total = sat.latencyMs().length + h.latencyMs().length;
                int stride = Math.max(1, (total + MAX_SERIES_POINTS - 1) / MAX_SERIES_POINTS);
                synchronized (ctx.results) {
                    addPoints(series, sat, 0, stride);
                    addPoints(series, h, sat.seconds(), stride);
                }

                check("saturated RPC/s >= " + (int) TARGET_RPS, sat.rps() >= TARGET_RPS);
                check("p99 at half load <= " + (int) TARGET_P99_HALF_MS + " ms", h.p99() <= TARGET_P99_HALF_MS);
                check("cold start <= " + (int) TARGET_COLD_START_MS + " ms", coldMs <= TARGET_COLD_START_MS);
                check("RSS <= " + (int) TARGET_RSS_MIB + " MiB", Math.max(idleMib, loadMib) <= TARGET_RSS_MIB);
            } finally {
                RpcLoad.close(channels);
            }
        }
    }

    private static void addPoints(Results.Series series, RpcLoad.Result r, double offsetSec, int stride) {
        for (int i = 0; i < r.latencyMs().length; i += stride) {
            series.points().add(new double[] {offsetSec + r.startSec()[i], r.latencyMs()[i]});
        }
    }

    private static void ratio(BenchContext ctx, double rps, String variant, String metric) {
        double echo = ctx.results.value(EchoBaseline.scenario(variant), EchoBaseline.SATURATED);
        if (!Double.isNaN(echo) && echo > 0) {
            ctx.results.add(SCENARIO, metric, rps / echo, "x");
        }
    }

    private static void check(String target, boolean met) {
        System.out.println("    product target " + target + ": " + (met ? "met" : "NOT MET"));
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static String login(ManagedChannel ch, String username, String password) {
        return AuthServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                .login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build())
                .getTokens().getAccessToken();
    }

    /** German mobile numbers +49 151 1234 5000..5099 (valid for libphonenumber), with letter-only names. */
    private static List<String> createRecipients(ManagedChannel ch, String token) {
        var stub = withToken(RecipientServiceGrpc.newBlockingStub(ch), token);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < RECIPIENTS; i++) {
            String phone = String.format(Locale.ROOT, "+4915112345%03d", i);
            String display = "Bench " + (char) ('A' + i / 26 % 26) + (char) ('a' + i % 26) + " Recipient";
            Recipient r = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .createRecipient(CreateRecipientRequest.newBuilder()
                            .setRecipient(Recipient.newBuilder().setPhoneNumber(phone).setDisplayName(display))
                            .setRequestId("bench-recipient-" + i)
                            .build())
                    .getRecipient();
            names.add(r.getName());
        }
        return names;
    }
}
