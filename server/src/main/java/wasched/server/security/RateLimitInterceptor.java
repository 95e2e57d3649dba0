package wasched.server.security;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.protobuf.StatusProto;

/**
 * Refuses a caller that exceeds its request budget for a method with RESOURCE_EXHAUSTED, carrying
 * {@code google.rpc.RetryInfo} (when to try again) and {@code google.rpc.QuotaFailure} (which
 * budget). The caller is the authenticated user, or for PUBLIC methods such as Login the client
 * certificate subject. Runs after authentication and before authorisation.
 */
public final class RateLimitInterceptor implements ServerInterceptor {
    private final RequestRateLimiter limiter;

    public RateLimitInterceptor(RequestRateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Principal principal = CallPrincipal.KEY.get();
        String subject = principal != null ? "user:" + principal.username()
                : "cert:" + CallPrincipal.CERT_SUBJECT.get();
        String method = call.getMethodDescriptor().getFullMethodName();
        RequestRateLimiter.Decision d = limiter.acquire(subject + "|" + method);
        if (d.allowed()) {
            return next.startCall(call, headers);
        }
        long millis = d.retryAfter().toMillis();
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("rate limit of " + limiter.perMinute() + " requests per minute for " + method
                        + " exceeded; retry in " + Math.max(1, millis) + " ms")
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000)).build()))
                .addDetails(Any.pack(QuotaFailure.newBuilder().addViolations(QuotaFailure.Violation.newBuilder()
                        .setSubject(subject).setDescription(limiter.perMinute() + " requests per minute per caller and method"))
                        .build()))
                .build();
        io.grpc.StatusRuntimeException e = StatusProto.toStatusRuntimeException(status);
        call.close(e.getStatus(), e.getTrailers());
        return new ServerCall.Listener<>() {};
    }
}
