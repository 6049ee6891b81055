package io.starling.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.schema.Database;
import io.starling.schema.TestDatabases;
import io.starling.time.ManualTimeSource;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys against PostgreSQL: kept hashed, checked per call, revoked, cached for a while. */
class AuthenticatorIT {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Vertx vertx;
  private Pool pool;
  private ApiKeyStore store;
  private ManualTimeSource time;
  private Authenticator authenticator;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, TestDatabases.fresh());
    store = new ApiKeyStore(pool);
    time = new ManualTimeSource(Instant.parse("2026-12-02T00:00:00Z"));
    authenticator = Authenticator.apiKeys(store, time, TTL, new PrometheusRegistry());
  }

  @AfterEach
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  @Test
  void aKeyIsKeptOnlyAsASaltedHashAndAuthenticatesAsItsProjectAndRoles() {
    ApiKeyStore.Created created = store.create("ci", "alpha", EnumSet.of(Role.LAUNCH)).await();
    StoredKey stored = store.find(created.key().keyId()).await().orElseThrow();
    assertThat(stored.hash()).hasSize(32).isNotEqualTo(created.key().secret().getBytes());
    assertThat(stored.salt()).hasSize(16);

    Principal principal = authenticator.authenticate("Bearer " + created.key().text()).await();
    assertThat(principal.project()).isEqualTo("alpha");
    assertThat(principal.may(Role.LAUNCH, "alpha")).isTrue();
    assertThat(principal.may(Role.READ, "alpha")).isTrue();
    assertThat(principal.may(Role.REGISTER, "alpha")).isFalse();
    assertThat(principal.may(Role.READ, "beta")).isFalse();
    assertThat(principal.may(Role.READ, "")).isFalse();
    assertThat(catchThrowableOfType(StatusException.class,
        () -> authenticator.require(principal, Role.READ, "beta")).status())
        .isEqualTo(GrpcStatus.PERMISSION_DENIED);
  }

  @Test
  void missingMalformedUnknownAndWrongSecretKeysAreUnauthenticated() {
    ApiKeyStore.Created created = store.create("ci", "alpha", EnumSet.of(Role.READ)).await();
    ApiKey wrongSecret = new ApiKey(created.key().keyId(), ApiKey.generate().secret());
    for (String header : new String[] {null, "", "Basic abc", "Bearer nope",
        "Bearer " + ApiKey.generate().text(), "Bearer " + wrongSecret.text()}) {
      StatusException refused = catchThrowableOfType(StatusException.class,
          () -> authenticator.authenticate(header).await());
      assertThat(refused.status()).as(String.valueOf(header))
          .isEqualTo(GrpcStatus.UNAUTHENTICATED);
      assertThat(refused.message()).doesNotContain(created.key().secret());
    }
  }

  @Test
  void aRevokedKeyStopsAtOnceWhereItWasRevokedAndWithinTheCacheTimeElsewhere() {
    ApiKeyStore.Created created = store.create("ci", "alpha", EnumSet.of(Role.READ)).await();
    String header = "Bearer " + created.key().text();
    Authenticator elsewhere = Authenticator.apiKeys(store, time, TTL, new PrometheusRegistry());
    authenticator.authenticate(header).await();
    elsewhere.authenticate(header).await();

    assertThat(store.revoke(created.key().keyId()).await()).isTrue();
    assertThat(store.revoke(created.key().keyId()).await()).isFalse();
    authenticator.forget(created.key().keyId());
    assertThat(catchThrowableOfType(StatusException.class,
        () -> authenticator.authenticate(header).await()).status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
    elsewhere.authenticate(header).await();
    time.advance(TTL);
    assertThat(catchThrowableOfType(StatusException.class,
        () -> elsewhere.authenticate(header).await()).status())
        .isEqualTo(GrpcStatus.UNAUTHENTICATED);
  }

  @Test
  void aBootstrapKeyIsAnAdminOfEveryProjectMadeOnceAndNeverAgainOnceRevoked() {
    ApiKey key = ApiKey.generate();
    assertThat(store.bootstrap(key).await()).isTrue();
    assertThat(store.bootstrap(key).await()).isFalse();
    Principal admin = authenticator.authenticate("Bearer " + key.text()).await();
    assertThat(admin.may(Role.ADMIN, "")).isTrue();
    assertThat(admin.may(Role.WORKER, "any")).isTrue();

    store.revoke(key.keyId()).await();
    assertThat(store.bootstrap(key).await()).isFalse();
    assertThat(store.find(key.keyId()).await().orElseThrow().revoked()).isTrue();
  }

  @Test
  void theTextOfAKeyRoundTripsAndNeverPrintsItsSecret() {
    ApiKey key = ApiKey.generate();
    assertThat(ApiKey.parse(key.text())).contains(key);
    assertThat(ApiKey.parse(" " + key.text() + "\n")).contains(key);
    assertThat(key.toString()).doesNotContain(key.secret());
    assertThat(ApiKey.parse("stk_0123456789ab_short")).isEmpty();
    assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Role.of("owner")))
        .hasMessage("unknown role 'owner', expected one of read, launch, register, worker, admin");
  }
}
