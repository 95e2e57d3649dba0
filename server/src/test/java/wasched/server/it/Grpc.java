package wasched.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.assertj.core.api.ThrowableAssert;

/** Assertions on gRPC failures. */
final class Grpc {
    private Grpc() {}

    static StatusRuntimeException failure(ThrowableAssert.ThrowingCallable call, Status.Code code) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with " + code).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
        return e;
    }

    /** The field names of the BadRequest detail of an INVALID_ARGUMENT failure. */
    static List<String> violatedFields(ThrowableAssert.ThrowingCallable call) {
        StatusRuntimeException e = failure(call, Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        return status.getDetailsList().stream().filter(a -> a.is(BadRequest.class)).flatMap(a -> {
            try {
                return a.unpack(BadRequest.class).getFieldViolationsList().stream();
            } catch (InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
            }
        }).map(BadRequest.FieldViolation::getField).toList();
    }
}
