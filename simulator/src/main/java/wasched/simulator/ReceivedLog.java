package wasched.simulator;

import java.util.ArrayList;
import java.util.List;

/** The messages the simulator accepted, in acceptance order, for tests to inspect. Thread-safe. */
final class ReceivedLog {

    private final List<ReceivedMessage> received = new ArrayList<>();

    void add(ReceivedMessage message) {
        synchronized (received) {
            received.add(message);
        }
    }

    List<ReceivedMessage> snapshot() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    int size() {
        synchronized (received) {
            return received.size();
        }
    }

    void clear() {
        synchronized (received) {
            received.clear();
        }
    }
}
