package wasched.simulator;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/** Cloud API error codes queued by tests to fail the next otherwise valid sends, consumed in order. Thread-safe. */
final class InjectedErrors {

    private final ArrayDeque<int[]> queue = new ArrayDeque<>(); // {code, remaining}
    // lets the common case, nothing injected, skip the lock
    private final AtomicInteger pending = new AtomicInteger();

    /** Queues {@code count} failures with {@code errorCode} behind those already queued; {@code <= 0} adds none. */
    void add(int errorCode, int count) {
        if (count <= 0) {
            return;
        }
        synchronized (queue) {
            queue.addLast(new int[] {errorCode, count});
            pending.addAndGet(count);
        }
    }

    /** Consumes one queued failure and returns its error code, or {@code null} when none is queued. */
    Integer take() {
        if (pending.get() == 0) {
            return null;
        }
        synchronized (queue) {
            int[] head = queue.peekFirst();
            if (head == null) {
                return null;
            }
            if (--head[1] == 0) {
                queue.pollFirst();
            }
            pending.decrementAndGet();
            return head[0];
        }
    }
}
