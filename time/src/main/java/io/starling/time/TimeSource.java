package io.starling.time;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a Starling process reads the time and schedules work for later: the wall clock (for
 * what is recorded and compared with other processes), a monotonic clock (for intervals and
 * rates), and callbacks after a delay (timeouts, retries, wake-ups, scans, a scheduler's ticks).
 * Components never call {@code System.currentTimeMillis()}, {@code Instant.now()},
 * {@code System.nanoTime()} or a timer of their own: they are given a time source, so a test
 * can hand them a {@link ManualTimeSource} and move time by hand, with nothing sleeping.
 *
 * <p>Callbacks must not block: on {@link #vertx(Vertx)} they run on an event loop; on a
 * manual source, on the thread that advances it.
 */
public interface TimeSource {

  /** The wall-clock time. */
  Instant now();

  /** The wall-clock time in milliseconds since the epoch. */
  default long millis() {
    return now().toEpochMilli();
  }

  /** A monotonic reading in nanoseconds, meaningful only as a difference between two readings. */
  long nanoTime();

  /**
   * Runs {@code task} once after {@code delay} (at once, or nearly, when it is zero or
   * negative).
   */
  Timer schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, the first time one period from now. */
  Timer periodic(Duration period, Runnable task);

  /** The wall clock as a {@link Clock}, for code that only reads the time. */
  Clock clock();

  /** A pending callback. */
  interface Timer {

    /** Stops the callback from running (again); a no-op once a one-shot callback ran. */
    void cancel();
  }

  /** The real time of this machine, with callbacks on {@code vertx}'s timers. */
  static TimeSource vertx(Vertx vertx) {
    return new VertxTimeSource(vertx, Clock.systemUTC());
  }
}
