package wasched.server.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes this node's dispatcher when any replica schedules a message: the scheduling transaction
 * sends {@code NOTIFY wasched_due, '<due epoch millis>'} and PostgreSQL delivers it on commit to
 * every listening node. Without it a replica would only see work scheduled elsewhere at its next
 * poll. Holds one pooled connection for as long as it runs; reconnects after failures.
 */
public final class DueListener implements AutoCloseable {
    public static final String CHANNEL = wasched.server.schedule.MessageScheduler.DUE_CHANNEL;
    private static final Logger LOG = Logger.getLogger(DueListener.class.getName());
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final Consumer<Instant> onDue;
    private final Thread thread;
    private volatile boolean running = true;

    public DueListener(DataSource dataSource, Consumer<Instant> onDue) {
        this.dataSource = dataSource;
        this.onDue = onDue;
        this.thread = Thread.ofPlatform().name("wasched-due-listener").daemon(true).start(this::run);
    }

    private void run() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
                    if (notes != null) {
                        for (PGNotification n : notes) {
                            deliver(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "LISTEN " + CHANNEL + " failed; retrying in 1 s", e);
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void deliver(String payload) {
        try {
            onDue.accept(Instant.ofEpochMilli(Long.parseLong(payload)));
        } catch (NumberFormatException e) {
            LOG.fine(() -> "ignoring malformed " + CHANNEL + " payload");
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
