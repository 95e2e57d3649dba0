package wasched.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** What every scenario of a run shares: the repository, a work directory, the database and the results. */
final class BenchContext {
    final Path repo;
    final Path workDir;
    final BenchDatabase db;
    final Results results;
    /** Smaller sizes, for a quick look (BENCH_QUICK=1); the figures are then not comparable. */
    final boolean quick;
    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger servers = new AtomicInteger();

    BenchContext(Path repo, Path workDir, BenchDatabase db, Results results, boolean quick) {
        this.repo = repo;
        this.workDir = workDir;
        this.db = db;
        this.results = results;
        this.quick = quick;
    }

    /** A server with a fresh database and state directory. */
    ServerProcess startServer(String name, int simulatorPort, Map<String, String> env) throws Exception {
        String database = db.freshDatabase("bench");
        Path state = workDir.resolve(name + "-" + servers.incrementAndGet());
        return ServerProcess.start(repo, state, db, database, simulatorPort, env, log(name));
    }

    /** A further replica sharing another server's database and keys. */
    ServerProcess startReplica(ServerProcess first, String name, int simulatorPort, Map<String, String> env)
            throws Exception {
        return ServerProcess.start(repo, first.stateDir, db, first.database, simulatorPort, env, log(name));
    }

    Path log(String name) throws java.io.IOException {
        Path dir = workDir.resolve("logs");
        Files.createDirectories(dir);
        return dir.resolve(name + "-" + servers.get() + ".log");
    }

    /** Records a correctness failure (a lost or doubled message); the run then exits non-zero. */
    synchronized void violation(String what) {
        violations.add(what);
        System.out.println("  VIOLATION: " + what);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
