package wasched.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * Posts status webhooks from one background thread. Statuses wait in a single delay queue ordered by due time and
 * then by creation order, and are sent strictly one payload after another, so the statuses of one message always
 * arrive in the order they were scheduled. Statuses that are due together are batched into one payload.
 */
final class WebhookSender implements AutoCloseable {

    static final String WABA_ID = "102290129340398";
    static final String DISPLAY_PHONE_NUMBER = "15550000000";
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private static final int MAX_STATUSES_PER_PAYLOAD = 100;
    private static final int MAX_ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MILLIS = 50;
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(2);

    private final URI target;
    private final String phoneNumberId;
    private final SecretKeySpec signingKey;
    private final ObjectMapper mapper;
    private final HttpClient client;
    private final DelayQueue<PendingStatus> queue = new DelayQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;

    WebhookSender(URI target, String phoneNumberId, String appSecret, SSLContext sslContext, ObjectMapper mapper) {
        this.target = target;
        this.phoneNumberId = phoneNumberId;
        this.signingKey = new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.mapper = mapper;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.client = builder.build();
        this.thread = Thread.ofPlatform().daemon().name("cloud-api-simulator-webhooks").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues a status to be posted once {@code delay} has passed; ties keep the order of the calls. */
    void schedule(String wamid, String recipientId, String callbackData, String status, Integer errorCode,
                  Duration delay) {
        long delayNanos = Math.max(0, delay.toNanos());
        long dueNanos = System.nanoTime() + delayNanos;
        long timestamp = (System.currentTimeMillis() + delayNanos / 1_000_000) / 1000;
        queue.add(new PendingStatus(dueNanos, sequence.getAndIncrement(), wamid, recipientId, callbackData, status,
                errorCode, timestamp));
    }

    long failures() {
        return failures.get();
    }

    /** HMAC-SHA256 of the body as lowercase hex, prefixed the way Meta prefixes it. */
    static String signature(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private void run() {
        List<PendingStatus> batch = new ArrayList<>(MAX_STATUSES_PER_PAYLOAD);
        try {
            while (!closing) {
                PendingStatus first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_STATUSES_PER_PAYLOAD - 1);
                post(batch);
                batch.clear();
            }
            // closing: post what is already due, within a short deadline
            long deadline = System.nanoTime() + DRAIN_ON_CLOSE.toNanos();
            while (System.nanoTime() < deadline && queue.drainTo(batch, MAX_STATUSES_PER_PAYLOAD) > 0) {
                post(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(List<PendingStatus> batch) throws InterruptedException {
        byte[] body = payload(batch);
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, signature(signingKey, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
            } catch (IOException e) {
                // treated like a non-2xx answer: retried, then counted
            }
            if (attempt < MAX_ATTEMPTS && !closing) {
                TimeUnit.MILLISECONDS.sleep(backoff);
                backoff *= 3;
            } else {
                break;
            }
        }
        failures.incrementAndGet();
    }

    private byte[] payload(List<PendingStatus> batch) {
        ObjectNode root = mapper.createObjectNode();
        root.put("object", "whatsapp_business_account");
        ObjectNode entry = root.putArray("entry").addObject();
        entry.put("id", WABA_ID);
        ObjectNode change = entry.putArray("changes").addObject();
        ObjectNode value = change.putObject("value");
        value.put("messaging_product", "whatsapp");
        ObjectNode metadata = value.putObject("metadata");
        metadata.put("display_phone_number", DISPLAY_PHONE_NUMBER);
        metadata.put("phone_number_id", phoneNumberId);
        ArrayNode statuses = value.putArray("statuses");
        for (PendingStatus pending : batch) {
            ObjectNode status = statuses.addObject();
            status.put("id", pending.wamid());
            status.put("status", pending.status());
            status.put("timestamp", Long.toString(pending.timestampSeconds()));
            status.put("recipient_id", pending.recipientId());
            if (pending.callbackData() != null) {
                status.put("biz_opaque_callback_data", pending.callbackData());
            }
            if (pending.errorCode() != null) {
                int code = pending.errorCode();
                ObjectNode error = status.putArray("errors").addObject();
                error.put("code", code);
                error.put("title", CloudApiErrors.titleFor(code));
                error.put("message", CloudApiErrors.titleFor(code));
                error.putObject("error_data").put("details", CloudApiErrors.detailsFor(code));
            }
        }
        change.put("field", "messages");
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise webhook payload", e);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(DRAIN_ON_CLOSE.toMillis() + 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        client.shutdownNow();
    }

    private record PendingStatus(long dueNanos, long seq, String wamid, String recipientId, String callbackData,
                                 String status, Integer errorCode, long timestampSeconds) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            PendingStatus that = (PendingStatus) other;
            int byDue = Long.compare(dueNanos - that.dueNanos, 0);
            return byDue != 0 ? byDue : Long.compare(seq, that.seq);
        }
    }
}
