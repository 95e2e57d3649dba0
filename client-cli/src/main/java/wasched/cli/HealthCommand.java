package wasched.cli;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wasched health}: the standard gRPC health check; needs no login. */
@Command(
    name = "health",
    description = {
      "Check the server's health (grpc.health.v1); needs no login.",
      "Exits 0 only if the server reports SERVING."
    })
final class HealthCommand extends BaseCommand {
  @Option(
      names = "--service",
      paramLabel = "NAME",
      description = "Service to check (default: the whole server).")
  String service = "";

  @Override
  int run() {
    HealthCheckResponse response;
    try (Connection connection = root().connect()) {
      response =
          connection
              .withDeadline(HealthGrpc.newBlockingStub(connection.channel()))
              .check(HealthCheckRequest.newBuilder().setService(service).build());
    }
    Output out = output();
    if (out.json()) {
      out.printJson(response);
    } else {
      out.println(response.getStatus().name());
    }
    return response.getStatus() == HealthCheckResponse.ServingStatus.SERVING
        ? ExitCodes.OK
        : ExitCodes.UNAVAILABLE;
  }
}
