package io.starling.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  private static final Instant TAKEN = Instant.parse("2026-12-02T10:00:00.123Z");

  @Test
  void readsBackWhatEachScheduleFiredUpTo() {
    SortedMap<Long, Instant> watermarks = new TreeMap<>();
    watermarks.put(7L, null);
    watermarks.put(1_000_000_007L, TAKEN.minus(Duration.ofHours(3)));
    watermarks.put(12L, TAKEN.minusMillis(1));

    Snapshot read = Snapshot.decode(Snapshot.encode(TAKEN, watermarks));

    assertThat(read.takenAt()).isEqualTo(TAKEN);
    assertThat(read.watermark(7)).isEqualTo(TAKEN);
    assertThat(read.watermark(12)).isEqualTo(TAKEN.minusMillis(1));
    assertThat(read.watermark(1_000_000_007L)).isEqualTo(TAKEN.minus(Duration.ofHours(3)));
    assertThat(read.watermark(8)).isNull();
  }

  @Test
  void aHundredThousandSchedulesTakeWellUnderAMegabyte() {
    // 100,000 schedules spread over 271 shards, row ids as a sequence hands them out; one in
    // a hundred behind by up to an hour.
    Random random = new Random(42);
    int total = 0;
    for (int shard = 0; shard < 271; shard++) {
      SortedMap<Long, Instant> watermarks = new TreeMap<>();
      long rowId = shard;
      for (int i = 0; i < 100_000 / 271; i++) {
        rowId += 1 + random.nextInt(541);
        watermarks.put(rowId, random.nextInt(100) == 0
            ? TAKEN.minusMillis(random.nextInt(3_600_000)) : null);
      }
      total += Snapshot.encode(TAKEN, watermarks).length;
    }

    assertThat(total).isLessThan(400_000);
  }

  @Test
  void noSnapshotKnowsNothing() {
    assertThat(Snapshot.decode(null).watermarks()).isEmpty();
    assertThat(Snapshot.decode(new byte[0]).watermarks()).isEmpty();
  }
}
