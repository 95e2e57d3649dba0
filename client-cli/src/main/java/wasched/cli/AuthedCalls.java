package wasched.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;
import wasched.v1.AdminServiceGrpc;
import wasched.v1.AuthServiceGrpc;
import wasched.v1.RecipientServiceGrpc;
import wasched.v1.RefreshRequest;
import wasched.v1.RefreshResponse;
import wasched.v1.SchedulingServiceGrpc;

/**
 * Calls made on behalf of a logged-in user: each carries "authorization: Bearer ...". An access
 * token that is expired by its stored expiry, or that the server rejects as UNAUTHENTICATED, is
 * refreshed once per command with the refresh token, the new pair saved, and the call retried once.
 */
final class AuthedCalls {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Connection connection;
  private final SessionStore store;
  private final Clock clock;
  private final ClientInterceptor bearer;
  private Session session;
  private boolean refreshed;

  AuthedCalls(Connection connection, SessionStore store, Session session, Clock clock) {
    this.connection = connection;
    this.store = store;
    this.session = session;
    this.clock = clock;
    this.bearer = new BearerInterceptor();
  }

  Session session() {
    return session;
  }

  RecipientServiceGrpc.RecipientServiceBlockingStub recipients() {
    return connection.withDeadline(
        RecipientServiceGrpc.newBlockingStub(connection.channel()).withInterceptors(bearer));
  }

  SchedulingServiceGrpc.SchedulingServiceBlockingStub scheduling() {
    return connection.withDeadline(
        SchedulingServiceGrpc.newBlockingStub(connection.channel()).withInterceptors(bearer));
  }

  AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return connection.withDeadline(
        AdminServiceGrpc.newBlockingStub(connection.channel()).withInterceptors(bearer));
  }

  AuthServiceGrpc.AuthServiceBlockingStub auth() {
    return connection.withDeadline(
        AuthServiceGrpc.newBlockingStub(connection.channel()).withInterceptors(bearer));
  }

  /** Runs {@code rpc} (which must build its stub inside), refreshing and retrying once if needed. */
  <T> T call(Supplier<T> rpc) {
    if (!refreshed && session.accessTokenExpired(clock.instant())) {
      if (!session.canRefresh(clock.instant())) {
        throw new CliException(ExitCodes.AUTH, "session expired: run `wasched login`");
      }
      refresh();
    }
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED
          || refreshed
          || !session.canRefresh(clock.instant())) {
        throw e;
      }
      refresh();
      return rpc.get();
    }
  }

  private void refresh() {
    refreshed = true;
    RefreshResponse response;
    try {
      response =
          connection
              .withDeadline(AuthServiceGrpc.newBlockingStub(connection.channel()))
              .refresh(
                  RefreshRequest.newBuilder().setRefreshToken(session.refreshToken()).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
        throw new CliException(
            ExitCodes.AUTH, "session expired or revoked: run `wasched login`", e);
      }
      throw e;
    }
    session = Session.from(response.getTokens(), session.server());
    try {
      store.save(session);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILURE, "cannot save session file " + store.file() + ": " + e.getMessage(), e);
    }
  }

  private final class BearerInterceptor implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(AUTHORIZATION, "Bearer " + session.accessToken());
          super.start(listener, headers);
        }
      };
    }
  }
}
