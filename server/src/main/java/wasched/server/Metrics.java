package wasched.server;

import wasched.server.dispatch.Dispatcher;

/** Renders dispatcher and executor counters in the Prometheus text format for the admin listener. */
final class Metrics {
    private Metrics() {}

    static String render(Dispatcher dispatcher) {
        if (dispatcher == null) {
            return "";
        }
        var s = dispatcher.stats();
        var e = s.executor();
        StringBuilder b = new StringBuilder();
        counter(b, "wasched_dispatch_sent_total", "Messages accepted by the provider.", s.sent());
        counter(b, "wasched_dispatch_retried_total", "Sends scheduled for another attempt.", s.retried());
        counter(b, "wasched_dispatch_failed_total", "Messages that failed for good.", s.failed());
        gauge(b, "wasched_dispatch_claimed_waiting", "Claimed messages not yet handed to a sender.",
                s.claimedNotStarted());
        gauge(b, "wasched_executor_active", "Send tasks running.", e.active());
        gauge(b, "wasched_executor_queue_depth", "Submitters waiting for a send slot.", e.waiting());
        gauge(b, "wasched_executor_max_concurrent", "Send slots.", e.maxConcurrent());
        counter(b, "wasched_executor_completed_total", "Send tasks finished.", e.completed());
        counter(b, "wasched_executor_rejected_total", "Send tasks refused at shutdown.", e.rejected());
        counter(b, "wasched_executor_failed_total", "Send tasks that threw.", e.failed());
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        metric(b, name, help, "counter", v);
    }

    private static void gauge(StringBuilder b, String name, String help, long v) {
        metric(b, name, help, "gauge", v);
    }

    private static void metric(StringBuilder b, String name, String help, String type, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(v).append('\n');
    }
}
