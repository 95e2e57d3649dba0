package wasched.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/** A tiny webhook endpoint for tests: records every POST and answers with a configurable status. */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as it arrived. */
    record Delivery(byte[] body, String signature, String contentType) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<Delivery> deliveries = new ArrayList<>();
    private volatile int responseStatus = 200;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/webhook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            synchronized (deliveries) {
                deliveries.add(new Delivery(body,
                        exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"),
                        exchange.getRequestHeaders().getFirst("Content-Type")));
            }
            exchange.sendResponseHeaders(responseStatus, -1);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhook");
    }

    void respondWith(int status) {
        this.responseStatus = status;
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Every status object of every payload, in arrival order. */
    List<JsonNode> statuses() {
        List<JsonNode> statuses = new ArrayList<>();
        for (Delivery delivery : deliveries()) {
            try {
                for (JsonNode entry : MAPPER.readTree(delivery.body()).get("entry")) {
                    for (JsonNode change : entry.get("changes")) {
                        change.get("value").get("statuses").forEach(statuses::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return statuses;
    }

    /** The statuses reported for one message, in arrival order. */
    List<String> statusesOf(String wamid) {
        return statuses().stream()
                .filter(s -> wamid.equals(s.get("id").asText()))
                .map(s -> s.get("status").asText())
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
