package wasched.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import wasched.bench.echo.EchoRequest;
import wasched.bench.echo.EchoServiceGrpc;
import wasched.server.security.DevPki;

/**
 * Baseline: a bare echo RPC over the same mTLS settings as wasched (TLS 1.3, client certificate
 * required), served once by Helidon's gRPC server and once by a plain grpc-java Netty server, each
 * in its own JVM, saturated by the same load generator as the API. The gap between the two is the
 * framework's own cost; the gap to the API is wasched's.
 */
final class EchoBaseline implements BenchMain.Scenario {
    static final String SATURATED = "saturated RPC/s";
    static final String P50 = "p50 latency at saturation";
    static final String P99 = "p99 latency at saturation";
    /** About the size of a serialized ScheduleMessage request. */
    static final int PAYLOAD_BYTES = 200;

    static String scenario(String variant) {
        return "baseline echo " + variant;
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Path certs = ctx.workDir.resolve("echo-pki");
        DevPki.ensure(certs, Clock.systemUTC());
        double warmup = ctx.quick ? 2 : 5;
        double measure = ctx.quick ? 5 : 15;
        byte[] bytes = new byte[PAYLOAD_BYTES];
        new java.util.Random(42).nextBytes(bytes);
        EchoRequest request = EchoRequest.newBuilder().setPayload(ByteString.copyFrom(bytes)).build();
        for (String variant : List.of("helidon", "helidon-nodelay", "netty")) {
            int port = ServerProcess.freePort();
            Process server = launch(ctx, variant, port, certs);
            List<ManagedChannel> channels = List.of();
            try {
                channels = RpcLoad.channels(port, certs);
                List<EchoServiceGrpc.EchoServiceFutureStub> stubs = new ArrayList<>();
                for (ManagedChannel ch : channels) {
                    stubs.add(EchoServiceGrpc.newFutureStub(ch));
                }
                RpcLoad.Result r = RpcLoad.closedLoop(stubs.size(),
                        (i, seq) -> stubs.get(i).withDeadlineAfter(5, TimeUnit.SECONDS).echo(request),
                        RpcLoad.SATURATION_CONCURRENCY, warmup, measure);
                System.out.println("    " + variant + ": " + r.summary());
                String s = scenario(variant);
                ctx.results.add(s, SATURATED, r.rps(), "RPC/s");
                ctx.results.add(s, P50, r.p50(), "ms");
                ctx.results.add(s, P99, r.p99(), "ms");
                ctx.results.add(s, "errors", r.errors(), "calls");
            } finally {
                RpcLoad.close(channels);
                stop(server);
            }
        }
    }

    /** Starts {@link EchoServerMain} in a child JVM and waits for its READY line. */
    private static Process launch(BenchContext ctx, String variant, int port, Path certs) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Path log = ctx.log("echo-" + variant);
        List<String> cmd = List.of(javaBin, "-Xmx512m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                EchoServerMain.class.getName(), variant, Integer.toString(port), certs.toString());
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.trim().equals("READY")) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        boolean ok;
        try {
            ok = ready.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly();
            throw new IllegalStateException("echo server (" + variant + ") did not become ready; see " + log);
        }
        // Keep draining its stdout so it can never block on a full pipe.
        Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        try {
            p.getOutputStream().close(); // EchoServerMain exits when its stdin closes
        } catch (java.io.IOException ignored) {
            // already gone
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
