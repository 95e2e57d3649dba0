package wasched.server;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import wasched.server.config.Settings;
import wasched.server.config.SettingsLoader;

/** Starts the server from application.yaml and the environment, and stops it in order on SIGTERM. */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        Settings settings = SettingsLoader.load(System.getenv());
        WaschedServer server = WaschedServer.start(settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            server.close();
            stopped.countDown();
        }, "wasched-shutdown"));
        LOG.info(() -> "wasched is up: gRPC on port " + server.grpcPort() + "; state in "
                + settings.stateDir().toAbsolutePath());
        stopped.await();
    }
}
