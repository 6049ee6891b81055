package io.starling.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.Schedule;
import io.starling.scheduler.slot.Slots;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a schedule taken over fires of the slots it missed, by policy and window. */
class CatchUpTest {

  private static final Instant FIRED = Instant.parse("2026-12-02T10:00:00Z");
  private static final Instant NOW = FIRED.plus(Duration.ofMinutes(60)).plusSeconds(30);
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Slots EVERY_MINUTE =
      Slots.of(Schedule.newBuilder().setCronExpression("* * * * *").build(), FIRED);

  @Test
  void allFiresEveryMissedSlotFromTheOldest() {
    CatchUp plan = CatchUp.plan(EVERY_MINUTE, FIRED, NOW, Schedule.CatchUp.ALL, null, GRACE);

    assertThat(plan).isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(1)), 0, 0));
  }

  @Test
  void latestFiresOnlyTheMostRecentMissedSlot() {
    CatchUp plan = CatchUp.plan(EVERY_MINUTE, FIRED, NOW, Schedule.CatchUp.LATEST, null, GRACE);

    assertThat(plan).isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(60)), 0, 59));
  }

  @Test
  void noneGoesOnFromTheNextSlot() {
    CatchUp plan = CatchUp.plan(EVERY_MINUTE, FIRED, NOW, Schedule.CatchUp.NONE, null, GRACE);

    assertThat(plan).isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(61)), 0, 60));
  }

  @Test
  void theWindowSkipsOlderSlotsWhateverThePolicy() {
    Duration window = Duration.ofMinutes(10);

    assertThat(CatchUp.plan(EVERY_MINUTE, FIRED, NOW, Schedule.CatchUp.ALL, window, GRACE))
        .isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(51)), 50, 0));
    assertThat(CatchUp.plan(EVERY_MINUTE, FIRED, NOW, Schedule.CatchUp.LATEST, window, GRACE))
        .isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(60)), 50, 9));
  }

  @Test
  void nothingMissedGoesOnFromTheNextSlot() {
    Instant now = FIRED.plusSeconds(30);

    for (Schedule.CatchUp policy : new Schedule.CatchUp[] {Schedule.CatchUp.ALL,
        Schedule.CatchUp.LATEST, Schedule.CatchUp.NONE}) {
      assertThat(CatchUp.plan(EVERY_MINUTE, FIRED, now, policy, Duration.ofMinutes(1), GRACE))
          .isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(1)), 0, 0));
    }
  }

  @Test
  void slotsDueWithinTheGraceFireWhateverThePolicy() {
    // A handover 25 s after the slot: the last owner's snapshot may predate it.
    Instant now = FIRED.plus(Duration.ofMinutes(1)).plusSeconds(5);

    for (Schedule.CatchUp policy : new Schedule.CatchUp[] {Schedule.CatchUp.LATEST,
        Schedule.CatchUp.NONE}) {
      assertThat(CatchUp.plan(EVERY_MINUTE, FIRED, now, policy, Duration.ofSeconds(1), GRACE))
          .isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(1)), 0, 0));
    }
  }

  @Test
  void latestFiresTheSlotsWithinTheGraceRatherThanAnOlderOne() {
    Instant now = FIRED.plus(Duration.ofMinutes(60)).plusSeconds(5);

    assertThat(CatchUp.plan(EVERY_MINUTE, FIRED, now, Schedule.CatchUp.LATEST, null, GRACE))
        .isEqualTo(new CatchUp(FIRED.plus(Duration.ofMinutes(60)), 0, 59));
  }
}
