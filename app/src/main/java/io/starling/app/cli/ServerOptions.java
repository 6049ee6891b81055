package io.starling.app.cli;

import io.starling.proto.core.ExecutionIdentifier;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the admin API is and which project and domain a command works in. */
public final class ServerOptions {

  @Option(names = "--server", description = "Admin gRPC address host:port "
      + "(default: $STARLING_SERVER or 127.0.0.1:8089)")
  String server = System.getenv().getOrDefault("STARLING_SERVER", "127.0.0.1:8089");

  @Option(names = "--api-key", description = "API key sent with every call"
      + " (default: $STARLING_API_KEY; an open server needs none)")
  String apiKey = System.getenv("STARLING_API_KEY");

  @Option(names = "--tls", description = "Speak TLS to the server, trusting the JVM's CAs"
      + " (implied by --tls-ca)")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "Speak TLS to the server,"
      + " trusting this CA (default: $STARLING_TLS_CA)")
  Path tlsCa = Optional.ofNullable(System.getenv("STARLING_TLS_CA")).filter(v -> !v.isBlank())
      .map(Path::of).orElse(null);

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate chain,"
      + " for a server that asks for one (with --tls-key)")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "The client certificate's key")
  Path tlsKey;

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
          Integer.parseInt(server.substring(colon + 1)), apiKey, transport());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--server must be host:port, got '" + server + "'");
    }
  }

  private HttpClientOptions transport() {
    HttpClientOptions options = new HttpClientOptions();
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (!tls && tlsCa == null && tlsCert == null) {
      return options;
    }
    options.setSsl(true).setUseAlpn(true);
    if (tlsCa != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tlsCa.toString()));
    }
    if (tlsCert != null) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tlsCert.toString())
          .setKeyPath(tlsKey.toString()));
    }
    return options;
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
