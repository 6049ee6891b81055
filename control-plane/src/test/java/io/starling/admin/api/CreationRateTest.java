package io.starling.admin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.starling.auth.Principal;
import io.starling.auth.Role;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.StatusException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CreationRateTest {

  private static final Principal A = new Principal("aaaaaaaaaaaa", "p", Set.of(Role.LAUNCH));
  private static final Principal B = new Principal("bbbbbbbbbbbb", "p", Set.of(Role.LAUNCH));

  private Instant now = Instant.parse("2026-12-02T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  @Test
  void aKeyHasTenSecondsOfItsRateAtOnceThenItsRate() {
    CreationRate rate = new CreationRate(clock, 2);
    for (int i = 0; i < 20; i++) {
      rate.take(A);
    }
    StatusException refused = catchThrowableOfType(StatusException.class, () -> rate.take(A));
    assertThat(refused.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(refused.message()).contains("API key aaaaaaaaaaaa", "2 per second",
        "admin.max-executions-per-second");
    rate.take(B);

    now = now.plus(Duration.ofMillis(500));
    rate.take(A);
    assertThat(catchThrowableOfType(StatusException.class, () -> rate.take(A))).isNotNull();
    now = now.plus(Duration.ofHours(1));
    for (int i = 0; i < 20; i++) {
      rate.take(A);
    }
    assertThat(catchThrowableOfType(StatusException.class, () -> rate.take(A))).isNotNull();
  }

  @Test
  void anOpenServerAndARateOfZeroHaveNoLimit() {
    CreationRate none = new CreationRate(clock, 0);
    CreationRate one = new CreationRate(clock, 1);
    for (int i = 0; i < 1000; i++) {
      none.take(A);
      one.take(Principal.OPEN);
    }
  }
}
