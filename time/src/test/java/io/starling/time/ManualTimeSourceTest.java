package io.starling.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {

  private static final Instant START = Instant.parse("2026-03-29T00:30:00Z");

  private final ManualTimeSource time = new ManualTimeSource(START);
  private final List<String> ran = new ArrayList<>();

  @Test
  void timeStandsStillUntilAdvanced() {
    long nanos = time.nanoTime();
    assertThat(time.now()).isEqualTo(START);
    time.advance(Duration.ofMillis(1500));
    assertThat(time.now()).isEqualTo(START.plusMillis(1500));
    assertThat(time.millis()).isEqualTo(START.toEpochMilli() + 1500);
    assertThat(time.nanoTime() - nanos).isEqualTo(1_500_000_000L);
    assertThat(time.clock().instant()).isEqualTo(time.now());
  }

  @Test
  void callbacksRunAtTheirDueTimeInOrder() {
    time.schedule(Duration.ofSeconds(3), () -> ran.add("c@" + time.now()));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + time.now()));
    time.schedule(Duration.ofSeconds(1), () -> ran.add("b@" + time.now()));

    time.advance(Duration.ofSeconds(2));
    assertThat(ran).containsExactly("a@" + START.plusSeconds(1), "b@" + START.plusSeconds(1));
    assertThat(time.now()).isEqualTo(START.plusSeconds(2));

    time.advance(Duration.ofSeconds(5));
    assertThat(ran).hasSize(3).last().isEqualTo("c@" + START.plusSeconds(3));
    assertThat(time.pendingCount()).isZero();
  }

  @Test
  void aCallbackScheduledByACallbackRunsInTheSameAdvanceWhenItFallsDue() {
    time.schedule(Duration.ofSeconds(1), () -> {
      ran.add("first");
      time.schedule(Duration.ofSeconds(1), () -> ran.add("second@" + time.now()));
    });
    time.advance(Duration.ofSeconds(10));
    assertThat(ran).containsExactly("first", "second@" + START.plusSeconds(2));
  }

  @Test
  void aZeroDelayRunsOnTheNextAdvanceWithoutMovingTime() {
    time.schedule(Duration.ZERO, () -> ran.add("now"));
    assertThat(ran).isEmpty();
    time.runDue();
    assertThat(ran).containsExactly("now");
    assertThat(time.now()).isEqualTo(START);
  }

  @Test
  void aPeriodicCallbackRunsOncePerPeriodUntilCancelled() {
    TimeSource.Timer timer = time.periodic(Duration.ofSeconds(2), () -> ran.add("tick@" + time.now()));
    time.advance(Duration.ofSeconds(7));
    assertThat(ran).containsExactly(
        "tick@" + START.plusSeconds(2), "tick@" + START.plusSeconds(4), "tick@" + START.plusSeconds(6));
    timer.cancel();
    time.advance(Duration.ofSeconds(10));
    assertThat(ran).hasSize(3);
    assertThat(time.pendingCount()).isZero();
  }

  @Test
  void aPeriodicCallbackCanCancelItself() {
    TimeSource.Timer[] timer = new TimeSource.Timer[1];
    timer[0] = time.periodic(Duration.ofSeconds(1), () -> {
      ran.add("tick");
      timer[0].cancel();
    });
    time.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("tick");
  }

  @Test
  void aCancelledCallbackNeverRuns() {
    TimeSource.Timer timer = time.schedule(Duration.ofSeconds(1), () -> ran.add("no"));
    timer.cancel();
    time.advance(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
    assertThat(time.untilNext()).isNull();
  }

  @Test
  void timeDoesNotGoBack() {
    assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not go back");
  }

  @Test
  void aTestCanWaitForAnotherThreadToSchedule() throws Exception {
    Thread scheduler = new Thread(() -> time.schedule(Duration.ofSeconds(30), () -> ran.add("late")));
    scheduler.start();

    time.awaitScheduledAt(START.plusSeconds(30), Duration.ofSeconds(10));
    time.advance(Duration.ofSeconds(30));

    assertThat(ran).containsExactly("late");
    scheduler.join();
  }

  @Test
  void waitingForWhatIsNeverScheduledEnds() {
    time.schedule(Duration.ofMinutes(5), () -> ran.add("too late"));
    assertThatThrownBy(() -> time.awaitScheduledAt(START.plusSeconds(60), Duration.ofMillis(20)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("nothing was scheduled");
  }
}
