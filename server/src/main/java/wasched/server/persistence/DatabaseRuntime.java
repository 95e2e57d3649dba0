package wasched.server.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import wasched.server.config.Settings;

/**
 * The database a server runs on: an external PostgreSQL when a URL is configured, otherwise an
 * embedded PostgreSQL (a real server binary) whose data lives in the state directory. Owns the
 * connection pool, runs Flyway migrations and builds the JPA EntityManagerFactory.
 */
public final class DatabaseRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DatabaseRuntime.class.getName());

    private final EmbeddedPostgres embedded;
    private final HikariDataSource dataSource;
    private final EntityManagerFactory emf;
    private final Transactions transactions;

    private DatabaseRuntime(EmbeddedPostgres embedded, HikariDataSource dataSource, EntityManagerFactory emf) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.emf = emf;
        this.transactions = new Transactions(emf);
    }

    /** Starts (or connects to) the database, migrates it and opens JPA. */
    public static DatabaseRuntime start(Settings settings) {
        Settings.Database db = settings.database();
        EmbeddedPostgres embedded = null;
        String url;
        String user;
        Optional<String> password;
        if (db.url().isPresent()) {
            url = db.url().get();
            user = db.user();
            password = db.password();
        } else {
            embedded = startEmbedded(settings.stateDir().resolve("pgdata"));
            url = embedded.getJdbcUrl("postgres", "postgres");
            user = "postgres";
            password = Optional.empty();
            LOG.info(() -> "embedded PostgreSQL listening on port " + embeddedPort(url));
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        password.ifPresent(hc::setPassword);
        hc.setMaximumPoolSize(db.poolSize());
        hc.setPoolName("wasched-db");
        hc.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            migrate(ds);
            EntityManagerFactory emf = Persistence.createEntityManagerFactory("wasched",
                    Map.of("jakarta.persistence.nonJtaDataSource", ds));
            return new DatabaseRuntime(embedded, ds, emf);
        } catch (RuntimeException e) {
            ds.close();
            closeQuietly(embedded);
            throw e;
        }
    }

    private static EmbeddedPostgres startEmbedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir.getParent());
            return EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    private static String embeddedPort(String url) {
        return url.replaceAll(".*localhost:(\\d+)/.*", "$1");
    }

    static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public EntityManagerFactory entityManagerFactory() {
        return emf;
    }

    public Transactions transactions() {
        return transactions;
    }

    @Override
    public void close() {
        emf.close();
        dataSource.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                LOG.warning("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }
}
