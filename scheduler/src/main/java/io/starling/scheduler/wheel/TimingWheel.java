package io.starling.scheduler.wheel;

import io.starling.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timing wheel (Varghese and Lauck) holding the next slot of every active schedule:
 * adding and cancelling are O(1), and each tick looks at one bucket. An item due at instant
 * {@code d} lands in tick {@code ceil((d - origin) / tick)} and bucket {@code tick mod
 * buckets}; items of later revolutions wait in the same bucket until their tick comes.
 *
 * <p>It is driven by its {@link TimeSource}: every {@code tick} it reads the wall clock and
 * processes every tick up to it, so a late timer (a busy event loop, a GC) fires what fell due
 * meanwhile in the order it fell due, and a test moves a manual time source by hand. The tick
 * bounds the work, not the lag: what falls due before the next tick is handed to a one-shot
 * timer of the time source for its own millisecond (one per distinct millisecond), so an item
 * fires when it is due, not up to a tick later; so does one added due before the next tick, and
 * one added already due fires at once. Nothing is fired before it is due. Items are handed to
 * {@code expired} outside the lock, on the time source's thread: it must not block.
 *
 * <p>Written here rather than taken from Netty's {@code HashedWheelTimer}, whose worker thread
 * reads {@code System.nanoTime()} and sleeps: neither a manual clock nor a wall-clock slot
 * (which is what a schedule names) fits it.
 *
 * @param <T> what is due
 */
public final class TimingWheel<T> {

  private static final Logger LOG = LoggerFactory.getLogger(TimingWheel.class);

  /** An item in the wheel, to cancel it. */
  public static final class Entry<T> {
    private final T item;
    private final long due;
    private final long tick;
    private Entry<T> previous;
    private Entry<T> next;
    private boolean inWheel;
    /** Handed to a one-shot timer for its millisecond; cancelling it stops it there. */
    private boolean soon;

    private Entry(T item, long due, long tick) {
      this.item = item;
      this.due = due;
      this.tick = tick;
    }

    public T item() {
      return item;
    }
  }

  private final TimeSource time;
  private final long tickMillis;
  private final long origin;
  private final Entry<T>[] heads;
  private final int mask;
  private final Consumer<T> expired;
  private long ticked;
  private int size;
  private TimeSource.Timer timer;
  private final Set<TimeSource.Timer> soonTimers = new HashSet<>();

  /**
   * A wheel of {@code buckets} (rounded up to a power of two) buckets of {@code tick} each,
   * starting now; {@code expired} receives each item once it is due.
   */
  @SuppressWarnings("unchecked")
  public TimingWheel(TimeSource time, Duration tick, int buckets, Consumer<T> expired) {
    if (tick.toMillis() < 1) {
      throw new IllegalArgumentException("scheduler.tick must be at least 1ms, got " + tick);
    }
    if (buckets < 1 || buckets > 1 << 20) {
      throw new IllegalArgumentException("buckets must be 1-1048576, got " + buckets);
    }
    int size = Integer.highestOneBit(buckets - 1) << 1;
    this.heads = (Entry<T>[]) new Entry[Math.max(1, size)];
    this.mask = heads.length - 1;
    this.time = time;
    this.tickMillis = tick.toMillis();
    this.origin = time.millis();
    this.expired = expired;
  }

  /** Starts ticking on the time source. */
  public synchronized void start() {
    if (timer == null) {
      timer = time.periodic(Duration.ofMillis(tickMillis), this::advance);
    }
  }

  /** Stops ticking and the one-shot timers; the items stay (those handed to timers drop). */
  public synchronized void stop() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    soonTimers.forEach(TimeSource.Timer::cancel);
    soonTimers.clear();
  }

  /**
   * Adds {@code item}, due at {@code due}; returns its entry, to {@link #cancel} it. One due
   * before the next tick goes to a one-shot timer of its own at once (the tick that hands such
   * items over has passed).
   */
  public Entry<T> add(T item, Instant due) {
    Entry<T> entry;
    synchronized (this) {
      long dueMillis = due.toEpochMilli();
      long tick = Math.max(ticked + 1, Math.floorDiv(dueMillis - origin + tickMillis - 1,
          tickMillis));
      entry = new Entry<>(item, dueMillis, tick);
      if (tick > ticked + 1 || timer == null) {
        link(entry);
        return entry;
      }
      entry.soon = true;
    }
    schedule(List.of(entry), time.millis());
    return entry;
  }

  private void link(Entry<T> entry) {
    int bucket = (int) (entry.tick & mask);
    entry.next = heads[bucket];
    if (entry.next != null) {
      entry.next.previous = entry;
    }
    heads[bucket] = entry;
    entry.inWheel = true;
    size++;
  }

  /** Removes {@code entry}; false when it had fired or was cancelled already. */
  public synchronized boolean cancel(Entry<T> entry) {
    if (entry.soon) {
      entry.soon = false;
      return true;
    }
    if (!entry.inWheel) {
      return false;
    }
    unlink(entry);
    return true;
  }

  /** Items in the wheel. */
  public synchronized int size() {
    return size;
  }

  /**
   * Fires what fell due up to now, oldest first, and hands what falls due before the next tick
   * to one-shot timers.
   */
  public void advance() {
    List<Entry<T>> due = new ArrayList<>();
    List<Entry<T>> soon = new ArrayList<>();
    long nowMillis;
    synchronized (this) {
      nowMillis = time.millis();
      long now = Math.floorDiv(nowMillis - origin, tickMillis);
      // A wall clock that jumped far ahead costs one pass over the buckets, not one per tick.
      long last = Math.min(now, ticked + heads.length);
      while (ticked < last) {
        ticked++;
        collect((int) (ticked & mask), ticked, due);
      }
      if (ticked < now) {
        for (int bucket = 0; bucket < heads.length; bucket++) {
          collect(bucket, now, due);
        }
        ticked = now;
      }
      collect((int) ((now + 1) & mask), now + 1, soon);
      soon.forEach(entry -> entry.soon = true);
    }
    due.sort(Comparator.comparingLong(entry -> entry.due));
    deliver(due.stream().map(entry -> entry.item).toList());
    schedule(soon, nowMillis);
  }

  /** One one-shot timer per distinct millisecond of {@code soon}. */
  private void schedule(List<Entry<T>> soon, long nowMillis) {
    List<Entry<T>> sorted = new ArrayList<>(soon);
    sorted.sort(Comparator.comparingLong(entry -> entry.due));
    for (int from = 0; from < sorted.size(); ) {
      long at = sorted.get(from).due;
      int to = from;
      while (to < sorted.size() && sorted.get(to).due == at) {
        to++;
      }
      List<Entry<T>> group = sorted.subList(from, to);
      TimeSource.Timer[] holder = new TimeSource.Timer[1];
      holder[0] = time.schedule(Duration.ofMillis(Math.max(0, at - nowMillis)), () -> {
        synchronized (this) {
          soonTimers.remove(holder[0]);
        }
        fireSoon(group);
      });
      synchronized (this) {
        soonTimers.add(holder[0]);
      }
      from = to;
    }
  }

  /** Hands {@code items} over one by one: one that throws does not cost the others. */
  private void deliver(List<T> items) {
    for (T item : items) {
      try {
        expired.accept(item);
      } catch (RuntimeException e) {
        LOG.atError().log("a due item failed to fire: {}", e.toString());
      }
    }
  }

  private void fireSoon(List<Entry<T>> group) {
    List<T> items = new ArrayList<>(group.size());
    synchronized (this) {
      for (Entry<T> entry : group) {
        if (entry.soon) {
          entry.soon = false;
          items.add(entry.item);
        }
      }
    }
    deliver(items);
  }

  private void collect(int bucket, long upTo, List<Entry<T>> due) {
    for (Entry<T> entry = heads[bucket]; entry != null; ) {
      Entry<T> next = entry.next;
      if (entry.tick <= upTo) {
        unlink(entry);
        due.add(entry);
      }
      entry = next;
    }
  }

  private void unlink(Entry<T> entry) {
    if (entry.previous != null) {
      entry.previous.next = entry.next;
    } else {
      heads[(int) (entry.tick & mask)] = entry.next;
    }
    if (entry.next != null) {
      entry.next.previous = entry.previous;
    }
    entry.previous = null;
    entry.next = null;
    entry.inWheel = false;
    size--;
  }
}
