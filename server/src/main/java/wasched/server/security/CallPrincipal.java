package wasched.server.security;

import io.grpc.Context;

/** Carries the authenticated {@link Principal} of a gRPC call in its {@link Context}. */
public final class CallPrincipal {
    static final Context.Key<Principal> KEY = Context.key("wasched-principal");
    static final Context.Key<String> CERT_SUBJECT = Context.key("wasched-cert-subject");

    private CallPrincipal() {}

    /** The caller of the current call; only absent for PUBLIC methods. */
    public static Principal current() {
        Principal p = KEY.get();
        if (p == null) {
            throw new wasched.server.DomainException.Unauthenticated("no authenticated caller");
        }
        return p;
    }
}
