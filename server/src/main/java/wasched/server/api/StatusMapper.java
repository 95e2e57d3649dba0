package wasched.server.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import wasched.server.DomainException;

/**
 * The one place where errors become gRPC statuses. Caller mistakes get their specific code (with
 * {@code google.rpc.BadRequest} field violations for bad input); anything unexpected is logged
 * with an incident id and becomes INTERNAL carrying only that id — never a stack trace.
 */
public final class StatusMapper {
    private static final Logger LOG = Logger.getLogger(StatusMapper.class.getName());

    private StatusMapper() {}

    public static StatusRuntimeException toStatus(Throwable t) {
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof DomainException.InvalidArgument e) {
            BadRequest.Builder br = BadRequest.newBuilder();
            e.violations().forEach(v -> br.addFieldViolations(
                    BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description())));
            return status(Code.INVALID_ARGUMENT, e.getMessage(), Any.pack(br.build()));
        }
        if (t instanceof DomainException.NotFound e) {
            return status(Code.NOT_FOUND, e.getMessage(), null);
        }
        if (t instanceof DomainException.AlreadyExists e) {
            return status(Code.ALREADY_EXISTS, e.getMessage(), null);
        }
        if (t instanceof DomainException.FailedPrecondition e) {
            return status(Code.FAILED_PRECONDITION, e.getMessage(), null);
        }
        if (t instanceof DomainException.Unauthenticated e) {
            return status(Code.UNAUTHENTICATED, e.getMessage(), null);
        }
        if (t instanceof DomainException.PermissionDenied e) {
            return status(Code.PERMISSION_DENIED, e.getMessage(), null);
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "internal error, incident " + incident, t);
        return status(Code.INTERNAL, "internal error (incident " + incident + ")", null);
    }

    private static StatusRuntimeException status(Code code, String message, Any detail) {
        com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.getNumber())
                .setMessage(message == null ? "" : message);
        if (detail != null) {
            s.addDetails(detail);
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }
}
