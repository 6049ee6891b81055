package io.starling.auth;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a call is from, by its {@code authorization: Bearer <key>} metadata, and whether they may
 * do what it asks. An open server takes every call as {@link Principal#OPEN}. With API keys, a
 * key's row is read at most once per {@code cacheTtl} per replica (so a key revoked elsewhere
 * stops working within it; on the replica that revoked it at once), and its secret checked
 * against the row's hash on every call. Refusals are UNAUTHENTICATED (no key, or not a valid
 * one) and PERMISSION_DENIED (a valid key without the role in the project), never saying more
 * about what exists.
 */
public final class Authenticator {

  /** Keys whose rows are remembered at once; beyond it the oldest are read again. */
  private static final int MAX_CACHED = 10_000;
  private static final String BEARER = "Bearer ";

  private final ApiKeyStore store;
  private final TimeSource time;
  private final long cacheTtlMillis;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final Counter calls;

  private record Cached(StoredKey key, long until) {}

  private Authenticator(ApiKeyStore store, TimeSource time, Duration cacheTtl,
      PrometheusRegistry metrics) {
    this.store = store;
    this.time = time;
    this.cacheTtlMillis = cacheTtl.toMillis();
    this.calls = Counter.builder().name("starling_auth_calls_total")
        .help("Calls by how their credentials were taken: ok, missing, invalid, denied")
        .labelNames("outcome").register(metrics);
    for (String outcome : new String[] {"ok", "missing", "invalid", "denied"}) {
      calls.labelValues(outcome);
    }
  }

  /** A server without authentication: every call may do everything. */
  public static Authenticator open(PrometheusRegistry metrics) {
    return new Authenticator(null, null, Duration.ZERO, metrics);
  }

  /** A server that takes only valid API keys of {@code store}. */
  public static Authenticator apiKeys(ApiKeyStore store, TimeSource time, Duration cacheTtl,
      PrometheusRegistry metrics) {
    return new Authenticator(store, time, cacheTtl, metrics);
  }

  /** The principal of a call whose {@code authorization} header is this (null if none). */
  public Future<Principal> authenticate(String authorization) {
    if (store == null) {
      return Future.succeededFuture(Principal.OPEN);
    }
    if (authorization == null || authorization.isBlank()) {
      calls.labelValues("missing").inc();
      return refused("this server takes only calls with an API key: send the metadata"
          + " 'authorization: Bearer <key>' (the CLI and the SDKs send $STARLING_API_KEY)");
    }
    Optional<ApiKey> key = authorization.startsWith(BEARER)
        ? ApiKey.parse(authorization.substring(BEARER.length())) : Optional.empty();
    if (key.isEmpty()) {
      calls.labelValues("invalid").inc();
      return refused("the authorization metadata is not 'Bearer stk_…', an API key");
    }
    return stored(key.get().keyId()).compose(found -> {
      if (found.isEmpty() || found.get().revoked()
          || !MessageDigest.isEqual(found.get().hash(),
              ApiKey.hash(found.get().salt(), key.get().secret()))) {
        calls.labelValues("invalid").inc();
        return refused("the API key is not valid: unknown, revoked, or its secret is wrong");
      }
      calls.labelValues("ok").inc();
      return Future.succeededFuture(found.get().principal());
    });
  }

  private Future<Optional<StoredKey>> stored(String keyId) {
    long now = time.millis();
    Cached cached = cache.get(keyId);
    if (cached != null && cached.until() > now) {
      return Future.succeededFuture(Optional.of(cached.key()));
    }
    return store.find(keyId).recover(e -> Future.failedFuture(new StatusException(
        GrpcStatus.UNAVAILABLE, "cannot check the API key: the database is unreachable; the"
            + " call can be retried"))).onSuccess(found -> {
      if (found.isPresent()) {
        if (cache.size() >= MAX_CACHED) {
          cache.clear();
        }
        cache.put(keyId, new Cached(found.get(), now + cacheTtlMillis));
      } else {
        cache.remove(keyId);
      }
    });
  }

  /** Forgets what is remembered of {@code keyId}: it was revoked here. */
  public void forget(String keyId) {
    cache.remove(keyId);
  }

  /**
   * Refuses with PERMISSION_DENIED unless {@code principal} may act as {@code role} in
   * {@code project} (empty: every project).
   */
  public void require(Principal principal, Role role, String project) {
    if (!principal.may(role, project)) {
      calls.labelValues("denied").inc();
      throw new StatusException(GrpcStatus.PERMISSION_DENIED, principal.describe()
          + " may not " + role.id() + " in " + (project.isEmpty() ? "every project (name one)"
              : "project " + project));
    }
  }

  private static <T> Future<T> refused(String why) {
    return Future.failedFuture(new StatusException(GrpcStatus.UNAUTHENTICATED, why));
  }
}
