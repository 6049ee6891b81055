package io.starling.app.replica;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.auth.ApiKeyStore;
import io.starling.auth.AuthOptions;
import io.starling.auth.Authenticator;
import io.starling.time.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A replica's authenticator, as {@code auth.*} says, with its bootstrap key kept. */
final class Security {

  private static final Logger LOG = LoggerFactory.getLogger(Security.class);

  private Security() {}

  /** Blocks until the bootstrap key, if any, is kept: never call it from an event loop. */
  static Authenticator authenticator(AuthOptions options, ApiKeyStore keys, TimeSource time,
      String grpcAddress, PrometheusRegistry registry) {
    if (!options.apiKeys()) {
      LOG.atWarn().addKeyValue("grpc", grpcAddress).log("authentication is off (auth.mode:"
          + " open): whoever reaches the gRPC port may read, launch, register and serve"
          + " anything; set auth.mode: api-keys beyond a sandbox");
      return Authenticator.open(registry);
    }
    options.bootstrapKey().ifPresent(key -> {
      if (keys.bootstrap(key).await()) {
        LOG.atInfo().addKeyValue("key", key.keyId()).log("bootstrap API key kept: an admin of"
            + " every project; make the other keys with it and revoke it once they exist");
      }
    });
    return Authenticator.apiKeys(keys, time, options.cacheTtl(), registry);
  }
}
