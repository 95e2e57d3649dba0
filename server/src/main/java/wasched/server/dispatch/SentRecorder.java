package wasched.server.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for provider acceptances: senders hand over (message, wamid) and return at once;
 * one writer records everything that arrived meanwhile in a single transaction. Under load a
 * commit then covers hundreds of deliveries; when idle it covers one, a few milliseconds later.
 */
final class SentRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SentRecorder.class.getName());
    private static final int MAX_BATCH = 1000;
    private static final int ATTEMPTS = 5;

    private final DeliveryStore store;
    private final String node;
    private final BlockingQueue<DeliveryStore.Sent> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    SentRecorder(DeliveryStore store, String node) {
        this.store = store;
        this.node = node;
        this.writer = Thread.ofPlatform().name("wasched-sent-recorder").daemon(true).start(this::loop);
    }

    void record(UUID messageId, String providerMessageId) {
        pending.add(new DeliveryStore.Sent(messageId, providerMessageId));
    }

    int backlog() {
        return pending.size();
    }

    private void loop() {
        List<DeliveryStore.Sent> batch = new ArrayList<>(MAX_BATCH);
        while (running || !pending.isEmpty()) {
            try {
                DeliveryStore.Sent first = pending.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Retries a failed write: giving up would leave the messages SENDING until their lease expires
     * and they are sent again, which is the one thing this class exists to avoid.
     */
    private void write(List<DeliveryStore.Sent> batch) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                store.markSent(node, batch);
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    LOG.log(Level.SEVERE, "could not record " + batch.size()
                            + " accepted sends; their leases will expire and they may be sent again", e);
                    return;
                }
                LOG.log(Level.WARNING, "recording accepted sends failed, retrying", e);
                Thread.sleep(100L << attempt);
            }
        }
    }

    /** Writes everything still pending, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
