package wasched.server.api;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Completes a unary call with the supplier's result, or with the mapped status of whatever it threw. */
final class Unary {
    private Unary() {}

    static <T> void respond(StreamObserver<T> observer, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            observer.onError(StatusMapper.toStatus(e));
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    /** For RPCs declared in the API but not built yet. */
    static <T> void notYetAvailable(StreamObserver<T> observer, String method) {
        observer.onError(io.grpc.Status.UNIMPLEMENTED
                .withDescription(method + " is not yet available in this version of wasched")
                .asRuntimeException());
    }
}
