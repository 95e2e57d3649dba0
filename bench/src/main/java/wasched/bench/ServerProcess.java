package wasched.bench;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A wasched server in its own JVM, started from the built jar exactly as an operator would, with
 * its database on the bench's PostgreSQL and its provider pointed at the bench's simulator.
 */
final class ServerProcess implements AutoCloseable {
    static final String ACCESS_TOKEN = "bench-access-token";
    static final String APP_SECRET = "bench-app-secret";
    static final String PHONE_NUMBER_ID = "100000000000777";
    static final String ADMIN_PASSWORD = "bench-admin-password-0123456789";

    final Process process;
    final Path stateDir;
    final int grpcPort;
    final int webhookPort;
    final int adminPort;
    final Duration coldStart;
    final String database;

    private ServerProcess(Process process, Path stateDir, int grpcPort, int webhookPort, int adminPort,
            Duration coldStart, String database) {
        this.process = process;
        this.stateDir = stateDir;
        this.grpcPort = grpcPort;
        this.webhookPort = webhookPort;
        this.adminPort = adminPort;
        this.coldStart = coldStart;
        this.database = database;
    }

    /**
     * Starts a server and waits until its health RPC answers SERVING.
     *
     * @param stateDir shared by servers that must share keys (two replicas), else fresh
     */
    static ServerProcess start(Path repo, Path stateDir, BenchDatabase db, String database, int simulatorPort,
            Map<String, String> extraEnv, Path log) throws Exception {
        Files.createDirectories(stateDir);
        Path adminPassword = stateDir.resolve("bench-admin-password");
        Files.writeString(adminPassword, ADMIN_PASSWORD);
        int grpc = freePort();
        int webhook = freePort();
        int admin = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("WASCHED_STATE_DIR", stateDir.toString());
        env.put("WASCHED_GRPC_HOST", "127.0.0.1");
        env.put("WASCHED_GRPC_PORT", Integer.toString(grpc));
        env.put("WASCHED_WEBHOOK_HOST", "127.0.0.1");
        env.put("WASCHED_WEBHOOK_PORT", Integer.toString(webhook));
        env.put("WASCHED_ADMIN_PORT", Integer.toString(admin));
        env.put("WASCHED_DB_URL", db.jdbcUrl(database));
        env.put("WASCHED_DB_USER", db.user);
        if (!db.password.isEmpty()) {
            env.put("WASCHED_DB_PASSWORD", db.password);
        }
        env.put("WASCHED_BOOTSTRAP_ADMIN_PASSWORD_FILE", adminPassword.toString());
        env.put("WASCHED_WHATSAPP_BASE_URL", "http://127.0.0.1:" + simulatorPort + "/v21.0");
        env.put("WASCHED_WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
        env.put("WASCHED_WHATSAPP_ACCESS_TOKEN", ACCESS_TOKEN);
        env.put("WASCHED_WHATSAPP_APP_SECRET", APP_SECRET);
        env.put("WASCHED_WHATSAPP_VERIFY_TOKEN", "bench-verify-token");
        env.put("WASCHED_DISPATCH_RATE", "0");
        // One bench principal sends thousands of calls a second; the per-caller limit would be the figure.
        env.put("WASCHED_REQUESTS_PER_MINUTE", "0");
        env.putAll(extraEnv);
        String java = ProcessHandle.current().info().command().orElse("java");
        // bench.serverJar lets a run measure another build (e.g. the one before an optimisation).
        String jar = System.getProperty("bench.serverJar", repo.resolve("server/target/wasched-server.jar").toString());
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m",
                // The same dynamic class-data archive bin/run uses: written at the first exit,
                // it saves about a second of class loading on every later start.
                "-XX:SharedArchiveFile=" + stateDir.getParent().resolve("wasched-server.jsa"),
                "-XX:+AutoCreateSharedArchive"));
        // bench.serverJvmArgs adds e.g. -XX:StartFlightRecording=... to profile the server.
        String extra = System.getProperty("bench.serverJvmArgs", "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        ManagedChannel ch = null;
        try {
            long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("server exited with " + p.exitValue() + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("server did not become healthy in 60 s; see " + log);
                }
                if (Files.exists(stateDir.resolve("certs").resolve("client-key.pem"))) {
                    try {
                        if (ch == null) {
                            ch = Tls.channel(grpc, stateDir.resolve("certs"));
                        }
                        var status = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS)
                                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
                        if (status == HealthCheckResponse.ServingStatus.SERVING) {
                            break;
                        }
                    } catch (RuntimeException notYet) {
                        // keep polling
                    }
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        } finally {
            if (ch != null) {
                ch.shutdownNow();
            }
        }
        Duration cold = Duration.ofNanos(System.nanoTime() - t0);
        return new ServerProcess(p, stateDir, grpc, webhook, admin, cold, database);
    }

    Path certDir() {
        return stateDir.resolve("certs");
    }

    /** Resident set size of the server process, from /proc. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }

    /** CPU time (user + system) the server process has used so far, from /proc; -1 if unknown. */
    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the server drains and stops in order
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
