package io.starling.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void readsTheFormsUsersWrite() {
    assertThat(DurationText.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationText.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(DurationText.parse(" 10 s ")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationText.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(DurationText.parse("0s")).isZero();
  }

  @Test
  void anythingElseIsRefusedSayingWhatWasGivenAndWhatIsExpected() {
    assertThatThrownBy(() -> DurationText.parse("2x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'2x' is not a duration; expected " + DurationText.FORMS);
    assertThatThrownBy(() -> DurationText.parse("-PT2S")).hasMessageContaining("negative");
    assertThatThrownBy(() -> DurationText.parse("99999999999999999d")).hasMessageContaining("too long");
    assertThatThrownBy(() -> DurationText.parse("x".repeat(1000)))
        .hasMessageContaining("(1000 characters)");
  }

  @Test
  void aQuotedValueIsCutTo40Characters() {
    assertThat(Quote.of("short")).isEqualTo("'short'");
    assertThat(Quote.of("a".repeat(41))).isEqualTo("'" + "a".repeat(40) + "...' (41 characters)");
  }
}
