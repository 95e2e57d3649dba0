package wasched.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.helidon.webserver.grpc.ServerContextKeys;
import wasched.server.DomainException;
import wasched.v1.Permission;

/**
 * Authenticates each call: records the mTLS client certificate subject, and for every method that
 * is not PUBLIC requires {@code authorization: Bearer <access token>}, verified by the
 * {@link Authenticator}. Failures end the call with UNAUTHENTICATED and a reason that never
 * echoes the token.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;

    public AuthenticationInterceptor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String subject = certificateSubject();
        Context ctx = Context.current().withValue(CallPrincipal.CERT_SUBJECT, subject);
        if (MethodPermissions.of(call.getMethodDescriptor()) == Permission.PERMISSION_PUBLIC) {
            return Contexts.interceptCall(ctx, call, headers, next);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return refuse(call, "missing authorization: Bearer <access token>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(call, "authorization must use the Bearer scheme");
        }
        Principal principal;
        try {
            principal = authenticator.principalFor(header.substring(7).trim(), subject);
        } catch (DomainException.Unauthenticated e) {
            return refuse(call, e.getMessage());
        }
        return Contexts.interceptCall(ctx.withValue(CallPrincipal.KEY, principal), call, headers, next);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String reason) {
        call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private static String certificateSubject() {
        var connection = ServerContextKeys.CONNECTION_CONTEXT.get();
        if (connection == null) {
            return "";
        }
        return connection.remotePeer().tlsPrincipal().map(java.security.Principal::getName).orElse("");
    }
}
