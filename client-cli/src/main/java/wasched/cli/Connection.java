package wasched.cli;

import io.grpc.ManagedChannel;
import io.grpc.stub.AbstractStub;
import java.util.concurrent.TimeUnit;

/** One channel for the duration of one command, with the per-call deadline. */
final class Connection implements AutoCloseable {
  private final ManagedChannel channel;
  private final long timeoutSeconds;

  Connection(ManagedChannel channel, long timeoutSeconds) {
    this.channel = channel;
    this.timeoutSeconds = timeoutSeconds;
  }

  ManagedChannel channel() {
    return channel;
  }

  /** Returns {@code stub} with a fresh deadline; call it right before each RPC. */
  <S extends AbstractStub<S>> S withDeadline(S stub) {
    return stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
