package io.starling.app.config;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS of a replica's ports: a PEM certificate chain and key ({@code tls.cert}, {@code tls.key})
 * for both, and optionally a CA ({@code tls.client-ca}) whose certificates the gRPC port then
 * requires of every client (workers, the CLI, the SDKs).
 *
 * @param cert null when the ports speak plain text
 */
public record TlsOptions(Path cert, Path key, Path clientCa) {

  /** Plain text. */
  public static final TlsOptions NONE = new TlsOptions(null, null, null);

  public TlsOptions {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("tls.cert and tls.key go together: set both or"
          + " neither");
    }
    if (clientCa != null && cert == null) {
      throw new IllegalArgumentException("tls.client-ca needs tls.cert and tls.key: client"
          + " certificates are checked over TLS only");
    }
    for (Path file : new Path[] {cert, key, clientCa}) {
      if (file != null && !Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file + " (tls.*)");
      }
    }
  }

  public boolean enabled() {
    return cert != null;
  }

  /** {@code options} with TLS, h2 by ALPN, and client certificates when {@code grpc} asks. */
  public HttpServerOptions apply(HttpServerOptions options, boolean grpc) {
    if (!enabled()) {
      return options;
    }
    options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(cert.toString()).setKeyPath(key.toString()));
    if (grpc) {
      options.setUseAlpn(true);
      if (clientCa != null) {
        options.setClientAuth(ClientAuth.REQUIRED)
            .setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
      }
    }
    return options;
  }
}
