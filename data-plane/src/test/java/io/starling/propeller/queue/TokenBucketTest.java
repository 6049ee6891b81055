package io.starling.propeller.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstGoesAtOnceThenPermitsAreSpacedByTheRate() {
    AtomicLong now = new AtomicLong(5 * SECOND);
    TokenBucket bucket = new TokenBucket(100, 3, now::get);

    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(SECOND / 100);
    assertThat(bucket.reserve()).isEqualTo(2 * SECOND / 100);
  }

  @Test
  void idleTimeRefillsUpToTheBurstAndNoMore() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket bucket = new TokenBucket(10, 2, now::get);
    bucket.reserve();
    bucket.reserve();
    assertThat(bucket.reserve()).isEqualTo(SECOND / 10);

    now.addAndGet(60 * SECOND);

    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isZero();
    assertThat(bucket.reserve()).isEqualTo(SECOND / 10);
  }

  @Test
  void overTimeTheRateHolds() {
    AtomicLong now = new AtomicLong(0);
    TokenBucket bucket = new TokenBucket(1_000, 10, now::get);
    long lastWait = 0;
    for (int i = 0; i < 10_010; i++) {
      lastWait = bucket.reserve();
    }
    // 10,010 permits from a bucket of 10 at 1,000/s: the last may go after 10 s.
    assertThat(lastWait).isEqualTo(10 * SECOND);
  }
}
