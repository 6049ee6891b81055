package io.starling.propeller.queue;

import java.util.function.LongSupplier;

/**
 * A token bucket: on average at most {@code ratePerSecond} permits a second, with bursts of up
 * to {@code burst} after a quiet spell. A caller takes a permit with {@link #reserve()} and
 * waits the nanoseconds it returns; permits are handed out in order, so waits grow with
 * the backlog instead of callers racing. Thread-safe; the clock is injected.
 */
final class TokenBucket {

  private final double permitsPerNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long lastNanos;

  TokenBucket(int ratePerSecond, int burst, LongSupplier nanoTime) {
    if (ratePerSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be at least 1");
    }
    this.permitsPerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.lastNanos = nanoTime.getAsLong();
  }

  /** Takes one permit; returns how many nanoseconds to wait before using it (0: at once). */
  synchronized long reserve() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - lastNanos) * permitsPerNano);
    lastNanos = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
  }
}
