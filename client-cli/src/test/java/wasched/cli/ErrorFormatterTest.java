package wasched.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ErrorFormatterTest {

  private static StatusRuntimeException badRequest(String message, String... fieldAndDescription) {
    BadRequest.Builder details = BadRequest.newBuilder();
    for (int i = 0; i < fieldAndDescription.length; i += 2) {
      details.addFieldViolations(
          BadRequest.FieldViolation.newBuilder()
              .setField(fieldAndDescription[i])
              .setDescription(fieldAndDescription[i + 1]));
    }
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(message)
            .addDetails(Any.pack(details.build()))
            .build());
  }

  @Test
  void field_violations_from_the_trailers_are_appended_on_one_line() {
    var failure =
        ErrorFormatter.of(
            badRequest(
                "invalid recipient",
                "recipient.phone_number", "not a valid phone number",
                "recipient.display_name", "must not be empty"));
    assertThat(failure.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(failure.line())
        .isEqualTo(
            "wasched: INVALID_ARGUMENT: invalid recipient; recipient.phone_number: not a valid"
                + " phone number; recipient.display_name: must not be empty");
  }

  @Test
  void a_violation_already_in_the_description_is_not_repeated() {
    var failure =
        ErrorFormatter.of(
            badRequest(
                "recipient.phone_number: not a valid phone number",
                "recipient.phone_number", "not a valid phone number"));
    assertThat(failure.line())
        .isEqualTo("wasched: INVALID_ARGUMENT: recipient.phone_number: not a valid phone number");
  }

  @Test
  void status_codes_map_to_the_documented_exit_codes() {
    assertThat(ErrorFormatter.exitCode(Status.Code.UNAUTHENTICATED)).isEqualTo(3);
    assertThat(ErrorFormatter.exitCode(Status.Code.PERMISSION_DENIED)).isEqualTo(3);
    assertThat(ErrorFormatter.exitCode(Status.Code.NOT_FOUND)).isEqualTo(4);
    assertThat(ErrorFormatter.exitCode(Status.Code.UNAVAILABLE)).isEqualTo(5);
    assertThat(ErrorFormatter.exitCode(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(5);
    assertThat(ErrorFormatter.exitCode(Status.Code.INVALID_ARGUMENT)).isEqualTo(1);
    assertThat(ErrorFormatter.exitCode(Status.Code.UNIMPLEMENTED)).isEqualTo(1);
  }

  @Test
  void a_multi_line_description_is_folded_onto_one_line() {
    var failure =
        ErrorFormatter.of(
            Status.NOT_FOUND.withDescription("no such\nmessage: messages/x").asRuntimeException());
    assertThat(failure.exitCode()).isEqualTo(4);
    assertThat(failure.line()).isEqualTo("wasched: NOT_FOUND: no such message: messages/x");
  }

  @Test
  void a_tls_handshake_failure_says_so() {
    var e =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new SSLHandshakeException("Received fatal alert: certificate_required"))
            .asRuntimeException();
    var failure = ErrorFormatter.of(e);
    assertThat(failure.exitCode()).isEqualTo(5);
    assertThat(failure.line())
        .isEqualTo(
            "wasched: UNAVAILABLE: io exception; TLS handshake failed: Received fatal alert:"
                + " certificate_required");
  }

  @Test
  void a_connection_failure_names_the_cause() {
    var e =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(new ConnectException("Connection refused: localhost/127.0.0.1:1"))
            .asRuntimeException();
    assertThat(ErrorFormatter.of(e).line())
        .isEqualTo("wasched: UNAVAILABLE: io exception; Connection refused: localhost/127.0.0.1:1");
  }

  @Test
  void cli_exceptions_keep_their_exit_code() {
    var failure = ErrorFormatter.of(new CliException(3, "not logged in: run `wasched login`"));
    assertThat(failure.exitCode()).isEqualTo(3);
    assertThat(failure.line()).isEqualTo("wasched: not logged in: run `wasched login`");
  }
}
