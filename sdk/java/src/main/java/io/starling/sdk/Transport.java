package io.starling.sdk;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * How the SDK reaches a server: TLS trusting the CA in {@code $STARLING_TLS_CA} when it is set
 * (with the client certificate in {@code $STARLING_TLS_CERT} and {@code $STARLING_TLS_KEY} for a
 * server that asks for one), plain text otherwise; as the CLI and the Python SDK do.
 */
final class Transport {

  private Transport() {}

  static HttpClientOptions fromEnvironment() {
    // Given transport options, Vert.x's gRPC client takes them as they are: HTTP/2 (by prior
    // knowledge in plain text, by ALPN over TLS) has to be asked for.
    HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false);
    String ca = System.getenv("STARLING_TLS_CA");
    if (ca == null || ca.isBlank()) {
      return options;
    }
    options.setSsl(true).setUseAlpn(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(ca));
    String cert = System.getenv("STARLING_TLS_CERT");
    String key = System.getenv("STARLING_TLS_KEY");
    if ((cert == null || cert.isBlank()) != (key == null || key.isBlank())) {
      throw new IllegalArgumentException("STARLING_TLS_CERT and STARLING_TLS_KEY go together");
    }
    if (cert != null && !cert.isBlank()) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key));
    }
    return options;
  }
}
