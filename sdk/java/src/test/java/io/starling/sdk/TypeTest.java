package io.starling.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.starling.proto.LiteralTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeTest {

  @Test
  void valuesSurviveARoundTripThroughLiterals() {
    assertThat(roundTrip(Type.INTEGER, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(roundTrip(Type.INTEGER, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(roundTrip(Type.FLOAT, -0.5)).isEqualTo(-0.5);
    assertThat(roundTrip(Type.STRING, "héllo")).isEqualTo("héllo");
    assertThat(roundTrip(Type.BOOLEAN, true)).isTrue();
    assertThat(roundTrip(Type.DATETIME, Instant.parse("2026-12-02T03:00:00.123456789Z")))
        .isEqualTo(Instant.parse("2026-12-02T03:00:00.123456789Z"));
    assertThat(roundTrip(Type.DURATION, Duration.ofMillis(-1500))).isEqualTo(Duration.ofMillis(-1500));
    assertThat(roundTrip(Type.BINARY, new byte[] {0, -1})).containsExactly(0, -1);
    assertThat(roundTrip(Type.list(Type.map(Type.INTEGER)), List.of(Map.of("a", 1L))))
        .containsExactly(Map.of("a", 1L));
    assertThat(roundTrip(Type.STRING, null)).isNull();
  }

  @Test
  void typesAreTheLiteralTypesOfTheContract() {
    assertThat(LiteralTypes.describe(Type.map(Type.list(Type.DATETIME)).literalType()))
        .isEqualTo("map<string, list<datetime>>");
  }

  @Test
  void aValueOfAnotherTypeIsRefusedNamingWhere() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Type.list(Type.INTEGER).literalOf(List.of("x"), "input a")))
        .hasMessage("input a: [x] is not of type list<integer>");
  }

  private static <T> T roundTrip(Type<T> type, T value) {
    return type.value(type.literal(value));
  }
}
