package wasched.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import picocli.CommandLine;

/** Turns any failure into the single line and exit code the CLI reports. */
final class ErrorFormatter {

  /** What to print (without the "wasched: " prefix) and which exit code to return. */
  record Failure(int exitCode, String message) {
    /** The line written to standard error. */
    String line() {
      return "wasched: " + message;
    }
  }

  private ErrorFormatter() {}

  static Failure of(Throwable t) {
    if (t instanceof CliException e) {
      return new Failure(e.exitCode(), oneLine(e.getMessage()));
    }
    if (t instanceof StatusRuntimeException e) {
      return new Failure(exitCode(e.getStatus().getCode()), describe(e));
    }
    if (t instanceof CommandLine.ParameterException e) {
      return new Failure(ExitCodes.USAGE, oneLine(e.getMessage()));
    }
    if (t instanceof java.io.IOException e) {
      return new Failure(ExitCodes.FAILURE, oneLine("I/O error: " + rootMessage(e)));
    }
    return new Failure(ExitCodes.FAILURE, oneLine(rootMessage(t)));
  }

  static int exitCode(Status.Code code) {
    return switch (code) {
      case OK -> ExitCodes.OK;
      case UNAUTHENTICATED, PERMISSION_DENIED -> ExitCodes.AUTH;
      case NOT_FOUND -> ExitCodes.NOT_FOUND;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> ExitCodes.UNAVAILABLE;
      default -> ExitCodes.FAILURE;
    };
  }

  /** "CODE: description; field: problem; ..." on one line. */
  static String describe(StatusRuntimeException e) {
    Status status = e.getStatus();
    List<String> parts = new ArrayList<>();
    String description = status.getDescription();
    if (description != null && !description.isBlank()) {
      parts.add(description.strip());
    }
    SSLException tls = findCause(e, SSLException.class);
    if (tls != null) {
      parts.add("TLS handshake failed: " + nonNull(tls.getMessage()));
    } else if (status.getCause() != null
        && (description == null || description.isBlank() || description.equals("io exception"))) {
      parts.add(rootMessage(status.getCause()));
    }
    String joined = String.join("; ", parts);
    for (String violation : violations(e)) {
      if (!joined.contains(violation)) {
        parts.add(violation);
        joined = String.join("; ", parts);
      }
    }
    return oneLine(status.getCode() + (joined.isEmpty() ? "" : ": " + joined));
  }

  /** The google.rpc.BadRequest field violations carried in the trailers, as "field: description". */
  static List<String> violations(StatusRuntimeException e) {
    List<String> out = new ArrayList<>();
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    if (rich == null) {
      return out;
    }
    for (Any detail : rich.getDetailsList()) {
      if (!detail.is(BadRequest.class)) {
        continue;
      }
      try {
        for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
          String field = v.getField().isBlank() ? "(request)" : v.getField();
          out.add(field + ": " + v.getDescription());
        }
      } catch (InvalidProtocolBufferException ignored) {
        // a malformed detail adds nothing to the message
      }
    }
    return out;
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (message == null || message.isBlank()) {
      message = t.getMessage();
    }
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  static String oneLine(String s) {
    return nonNull(s).strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
