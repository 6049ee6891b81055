package io.starling.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A time source for tests: time stands still until {@link #advance} moves it, and callbacks run
 * then, on the advancing thread, each at its due time and in the order they fall due (ties in
 * the order they were scheduled). A callback that schedules another one due within the same
 * advance sees it run in that advance too, so a chain of timers behaves as it would in real
 * time. Thread-safe: any thread may read the time or schedule while another advances.
 */
public final class ManualTimeSource implements TimeSource {

  private final PriorityQueue<Entry> pending = new PriorityQueue<>();
  private long nanos;
  private final long epochNanos;
  private long sequence;

  /** A source whose wall clock starts at {@code start}. */
  public ManualTimeSource(Instant start) {
    this.epochNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  @Override
  public synchronized Instant now() {
    long at = epochNanos + nanos;
    return Instant.ofEpochSecond(Math.floorDiv(at, 1_000_000_000L), Math.floorMod(at, 1_000_000_000L));
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Timer schedule(Duration delay, Runnable task) {
    Entry entry = new Entry(nanos + Math.max(0, delay.toNanos()), 0, task, sequence++);
    pending.add(entry);
    notifyAll();
    return () -> cancel(entry);
  }

  @Override
  public synchronized Timer periodic(Duration period, Runnable task) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive, got " + period);
    }
    Entry entry = new Entry(nanos + period.toNanos(), period.toNanos(), task, sequence++);
    pending.add(entry);
    notifyAll();
    return () -> cancel(entry);
  }

  @Override
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a manual clock is in UTC");
      }

      @Override
      public Instant instant() {
        return now();
      }
    };
  }

  /** Moves time forward by {@code duration}, running every callback that falls due meanwhile. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time does not go back: " + duration);
    }
    long target;
    synchronized (this) {
      target = nanos + duration.toNanos();
    }
    while (true) {
      Runnable task;
      synchronized (this) {
        Entry next = pending.peek();
        if (next == null || next.dueNanos > target) {
          nanos = target;
          return;
        }
        pending.poll();
        nanos = Math.max(nanos, next.dueNanos);
        task = next.task;
        if (next.periodNanos > 0) {
          next.dueNanos += next.periodNanos;
          next.order = sequence++;
          pending.add(next);
        }
      }
      task.run();
    }
  }

  /** Runs the callbacks that are due now without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /**
   * Waits until a callback is pending that falls due at {@code dueAt}: for a test whose code
   * under test schedules on another thread, before it moves the time. Throws
   * {@link IllegalStateException} when none was scheduled in {@code timeout} of real time.
   */
  public synchronized void awaitScheduledAt(Instant dueAt, Duration timeout)
      throws InterruptedException {
    long due = dueAt.getEpochSecond() * 1_000_000_000L + dueAt.getNano() - epochNanos;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.stream().noneMatch(entry -> entry.dueNanos == due)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("nothing was scheduled at " + dueAt);
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** Callbacks scheduled and not yet run or cancelled. */
  public synchronized int pendingCount() {
    return pending.size();
  }

  /** How long until the next callback is due; null when none is pending. */
  public synchronized Duration untilNext() {
    Entry next = pending.peek();
    return next == null ? null : Duration.ofNanos(Math.max(0, next.dueNanos - nanos));
  }

  private synchronized void cancel(Entry entry) {
    pending.remove(entry);
  }

  /**
   * A pending callback; a periodic one is the same entry, put back with its next due time each
   * time it runs, so cancelling it stops all its runs. Callbacks due at the same nanosecond run
   * in the order they were (re)scheduled.
   */
  private static final class Entry implements Comparable<Entry> {
    long dueNanos;
    final long periodNanos;
    final Runnable task;
    long order;

    Entry(long dueNanos, long periodNanos, Runnable task, long order) {
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
      this.task = task;
      this.order = order;
    }

    @Override
    public int compareTo(Entry other) {
      int byTime = Long.compare(dueNanos, other.dueNanos);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }
}
