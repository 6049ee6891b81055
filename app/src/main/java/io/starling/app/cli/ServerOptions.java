package io.starling.app.cli;

import io.starling.proto.core.ExecutionIdentifier;
import picocli.CommandLine.Option;

/** Where the admin API is and which project and domain a command works in. */
public final class ServerOptions {

  @Option(names = "--server", description = "Admin gRPC address host:port "
      + "(default: $STARLING_SERVER or 127.0.0.1:8089)")
  String server = System.getenv().getOrDefault("STARLING_SERVER", "127.0.0.1:8089");

  @Option(names = {"-p", "--project"}, description = "Project (default: ${DEFAULT-VALUE})")
  String project = "default";

  @Option(names = {"-d", "--domain"}, description = "Domain (default: ${DEFAULT-VALUE})")
  String domain = "development";

  AdminClient connect() {
    int colon = server.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--server must be host:port, got '" + server + "'");
    }
    try {
      return new AdminClient(server.substring(0, colon),
          Integer.parseInt(server.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--server must be host:port, got '" + server + "'");
    }
  }

  /** {@code name} or {@code project/domain/name}. */
  ExecutionIdentifier execution(String reference) {
    String[] parts = reference.split("/");
    if (parts.length == 3) {
      return ExecutionIdentifier.newBuilder()
          .setProject(parts[0]).setDomain(parts[1]).setName(parts[2]).build();
    }
    if (parts.length != 1) {
      throw new IllegalArgumentException(
          "an execution is NAME or PROJECT/DOMAIN/NAME, got '" + reference + "'");
    }
    return ExecutionIdentifier.newBuilder()
        .setProject(project).setDomain(domain).setName(reference).build();
  }
}
