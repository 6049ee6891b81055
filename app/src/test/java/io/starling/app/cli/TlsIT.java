package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.replica.Replica;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both ports, with a CA and certificates made by openssl for the test: the gRPC port
 * requires a client certificate of the CA (tls.client-ca), the HTTP port speaks TLS; a client
 * without TLS, or without a certificate, gets nothing.
 */
class TlsIT {

  @TempDir
  static Path data;
  private static TestCertificates certificates;
  private static Replica sandbox;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.create(data.resolve("tls"));
    sandbox = TestSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE", "false",
        "STARLING_TLS_CERT", certificates.serverCert().toString(),
        "STARLING_TLS_KEY", certificates.serverKey().toString(),
        "STARLING_TLS_CLIENT_CA", certificates.ca().toString()));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void aClientWithTheCaAndACertificateOfItIsServed() {
    CommandLineRun listed = CommandLineRun.against(sandbox, "list",
        "--tls-ca", certificates.ca().toString(),
        "--tls-cert", certificates.clientCert().toString(),
        "--tls-key", certificates.clientKey().toString());
    assertThat(listed.exitCode()).as(listed.err()).isZero();
  }

  @Test
  void aClientWithoutACertificateOrWithoutTlsIsRefused() {
    CommandLineRun noCertificate = CommandLineRun.against(sandbox, "list",
        "--tls-ca", certificates.ca().toString());
    assertThat(noCertificate.exitCode()).isNotZero();
    CommandLineRun plain = CommandLineRun.against(sandbox, "list");
    assertThat(plain.exitCode()).isNotZero();
    CommandLineRun untrusted = CommandLineRun.against(sandbox, "list", "--tls",
        "--tls-cert", certificates.clientCert().toString(),
        "--tls-key", certificates.clientKey().toString());
    assertThat(untrusted.exitCode()).isNotZero();
  }

  @Test
  void metricsAreServedOverTls() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(certificates.trustingCa()).build();
    HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + sandbox.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("starling_propeller_free_workers");
  }
}
