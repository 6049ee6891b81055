package io.starling.scheduler.wheel;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wheel on a manual clock: nothing early, nothing twice, nothing lost when ticks are late. */
class TimingWheelTest {

  private static final Instant START = Instant.parse("2026-12-02T00:00:00Z");
  private static final Duration TICK = Duration.ofMillis(100);

  private final ManualTimeSource time = new ManualTimeSource(START);
  private final List<String> fired = new ArrayList<>();
  private final List<Instant> firedAt = new ArrayList<>();
  private TimingWheel<String> wheel;

  @BeforeEach
  void start() {
    wheel = new TimingWheel<>(time, TICK, 8, item -> {
      fired.add(item);
      firedAt.add(time.now());
    });
    wheel.start();
  }

  @Test
  void anItemFiresOnItsOwnMillisecondAndNeverBefore() {
    wheel.add("a", START.plusMillis(250));

    time.advance(Duration.ofMillis(249));
    assertThat(fired).isEmpty();
    time.advance(Duration.ofMillis(51));

    assertThat(fired).containsExactly("a");
    assertThat(firedAt).containsExactly(START.plusMillis(250));
    assertThat(wheel.size()).isZero();
  }

  @Test
  void anItemCancelledAfterItWasHandedToItsTimerNeverFires() {
    TimingWheel.Entry<String> entry = wheel.add("a", START.plusMillis(250));
    time.advance(Duration.ofMillis(200));

    assertThat(wheel.cancel(entry)).isTrue();
    time.advance(Duration.ofSeconds(1));

    assertThat(fired).isEmpty();
    assertThat(wheel.cancel(entry)).isFalse();
  }

  @Test
  void itemsOfLaterRevolutionsWaitForTheirOwnTick() {
    // 8 buckets of 100 ms: 450 ms and 1,250 ms share a bucket one revolution apart.
    wheel.add("later", START.plusMillis(1_250));
    wheel.add("sooner", START.plusMillis(450));

    time.advance(Duration.ofMillis(500));
    assertThat(fired).containsExactly("sooner");
    time.advance(Duration.ofMillis(700));
    assertThat(fired).containsExactly("sooner");
    time.advance(Duration.ofMillis(100));
    assertThat(fired).containsExactly("sooner", "later");
  }

  @Test
  void aCancelledItemNeverFires() {
    TimingWheel.Entry<String> entry = wheel.add("a", START.plusMillis(100));

    assertThat(wheel.cancel(entry)).isTrue();
    time.advance(Duration.ofSeconds(1));

    assertThat(fired).isEmpty();
    assertThat(wheel.cancel(entry)).isFalse();
  }

  @Test
  void anItemAlreadyDueFiresAtOnce() {
    time.advance(Duration.ofMillis(1_000));
    wheel.add("overdue", START);

    time.runDue();

    assertThat(fired).containsExactly("overdue");
  }

  @Test
  void anItemAddedDueBeforeTheNextTickFiresOnItsMillisecond() {
    time.advance(Duration.ofMillis(150));
    wheel.add("soon", START.plusMillis(180));

    time.advance(Duration.ofMillis(29));
    assertThat(fired).isEmpty();
    time.advance(Duration.ofMillis(1));

    assertThat(fired).containsExactly("soon");
    assertThat(firedAt).containsExactly(START.plusMillis(180));
  }

  @Test
  void stoppingTheWheelStopsWhatWasHandedToTimers() {
    wheel.add("a", START.plusMillis(250));
    time.advance(Duration.ofMillis(200));

    wheel.stop();
    time.advance(Duration.ofSeconds(1));

    assertThat(fired).isEmpty();
  }

  @Test
  void aLateTickFiresEverythingThatFellDueOldestFirstEvenAfterManyRevolutions() {
    wheel.stop();
    for (int i = 9; i >= 0; i--) {
      wheel.add("s" + i, START.plusMillis(350L * i + 10));
    }
    wheel.add("future", START.plusSeconds(60));

    time.advance(Duration.ofSeconds(30));
    wheel.advance();

    assertThat(fired).containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
        "s9");
    assertThat(wheel.size()).isEqualTo(1);
    time.advance(Duration.ofSeconds(30));
    wheel.advance();
    assertThat(fired).endsWith("future");
  }

  @Test
  void manyItemsOnOneTickAllFireOnce() {
    for (int i = 0; i < 10_000; i++) {
      wheel.add("i" + i, START.plusMillis(700 + i % 100));
    }

    time.advance(Duration.ofSeconds(2));

    assertThat(fired).hasSize(10_000).doesNotHaveDuplicates();
  }
}
