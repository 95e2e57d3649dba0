package wasched.server.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import wasched.v1.Permission;

/**
 * Role-based access control from the proto: each method's {@code required_permission} option is
 * checked against the caller's role. A method that declares no permission is denied to everyone.
 * Runs after {@link AuthenticationInterceptor}.
 */
public final class AuthorizationInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Permission required = MethodPermissions.of(call.getMethodDescriptor());
        if (required == Permission.PERMISSION_PUBLIC) {
            return next.startCall(call, headers);
        }
        Principal principal = CallPrincipal.KEY.get();
        String denial = denial(required, principal);
        if (denial != null) {
            call.close(Status.PERMISSION_DENIED.withDescription(denial), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    /** Why the principal may not call a method requiring {@code required}, or null if it may. */
    static String denial(Permission required, Principal principal) {
        if (principal == null) {
            return "no authenticated caller";
        }
        return switch (required) {
            case PERMISSION_AUTHENTICATED -> null;
            case PERMISSION_UNSPECIFIED, UNRECOGNIZED, PERMISSION_PUBLIC -> "method declares no permission; denied";
            default -> {
                Role.Permission p = Role.Permission.valueOf(required.name().substring("PERMISSION_".length()));
                yield principal.role().grants(p) ? null
                        : "role " + principal.role() + " lacks permission " + p;
            }
        };
    }
}
