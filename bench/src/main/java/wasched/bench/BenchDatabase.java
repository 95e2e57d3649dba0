package wasched.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of a run: the embedded one (a real server binary), or an external one
 * given by {@code BENCH_PG_HOST/PORT/USER/PASSWORD}. Each scenario gets a fresh database on it so
 * results do not leak between scenarios; pgbench runs against the same server.
 */
final class BenchDatabase implements AutoCloseable {
    private final EmbeddedPostgres embedded;
    final String host;
    final int port;
    final String user;
    final String password;
    private final AtomicInteger counter = new AtomicInteger();

    private BenchDatabase(EmbeddedPostgres embedded, String host, int port, String user, String password) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static BenchDatabase start() throws IOException {
        String host = System.getenv("BENCH_PG_HOST");
        if (host != null && !host.isBlank()) {
            return new BenchDatabase(null, host, Integer.parseInt(System.getenv().getOrDefault("BENCH_PG_PORT", "5432")),
                    System.getenv().getOrDefault("BENCH_PG_USER", "postgres"),
                    System.getenv().getOrDefault("BENCH_PG_PASSWORD", ""));
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .start();
        return new BenchDatabase(pg, "localhost", pg.getPort(), "postgres", "");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Creates a fresh, empty database and returns its name. */
    String freshDatabase(String prefix) throws SQLException {
        String name = prefix + "_" + counter.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection c = connect("postgres")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return name;
    }

    String serverVersion() throws SQLException {
        try (Connection c = connect("postgres")) {
            var rs = c.createStatement().executeQuery("SHOW server_version");
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
