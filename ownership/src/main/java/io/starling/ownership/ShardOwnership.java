package io.starling.ownership;

import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards this replica runs, each a small state machine, after Temporal's shard context:
 *
 * <pre>
 *             assign                     granted
 *   STOPPED ─────────► ACQUIRING ───────────────────► OWNED
 *      ▲                │     ▲                          │
 *      │   unassign     │     └── acquire failed:        │ lost: a write of its lease
 *      ├────────────────┘         tried again later      │ was fenced; or unassign
 *      │                                                 ▼
 *      └──────────────────────────────────────────── STOPPING
 *                    everything of the shard dropped
 * </pre>
 *
 * <ul>
 *   <li><b>assign</b>: the partition table says this member owns the shard (at start-up, or
 *       a partition migrated here). The shard's epoch is bumped in {@code shard_leases}, which
 *       fences every write of a previous owner.
 *   <li><b>ACQUIRING</b>: nothing of the shard is read or written. A failed acquire (the
 *       database away) is tried again after {@code retryDelay} for as long as the shard stays
 *       assigned.
 *   <li><b>OWNED</b>: the shard's {@link ShardLease} is handed to rounds, which present it with
 *       every write; the owned shards are scanned.
 *   <li><b>lost</b>: a write presenting the current lease was refused because another replica
 *       holds a higher epoch. Unlike a write that failed for an unknown reason (the database
 *       away: the row versions make a retry safe, and the shard stays owned), this is certain:
 *       someone else runs the shard now.
 *   <li><b>STOPPING</b>: the lease is withdrawn first, so no round starts with it and no scan
 *       covers the shard; then the {@link Listener} drops every execution of the shard, aborts
 *       its attempts and ignores their results. The state lasts as long as that call.
 *   <li><b>STOPPED</b>: nothing of the shard is left; a shard that was unassigned had its
 *       lease released, so the next owner need not wait. A shard that was <em>lost</em> is not
 *       acquired again while its partition table still names this replica (a long pause, a
 *       split brain where both sides reach PostgreSQL): bumping the epoch once more would win
 *       it back, and two replicas would take it from each other forever. It is acquired again
 *       once the lease it lost to is released or is no longer renewed (its holder is gone), or
 *       after the partition has moved away and back.
 * </ul>
 *
 * <p>Transitions happen under this object's lock, whatever thread reports them; reading a
 * lease ({@link #lease}) takes no lock. The futures it returns are completed outside the lock,
 * so what callers chain to them may take locks of their own.
 */
public final class ShardOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(ShardOwnership.class);

  /** The state of one shard. */
  public enum State { STOPPED, ACQUIRING, OWNED, STOPPING }

  /** Told of shards that start and stop running here. */
  public interface Listener {

    /** These shards are OWNED now: resume their executions. Called outside the lock. */
    void owned(List<ShardLease> leases);

    /**
     * These shards are STOPPING: drop everything of them. Called under the lock, so the shards
     * cannot be acquired again before it returns; must not block.
     */
    void stopping(Set<Integer> shards);
  }

  private final LeaseStore store;
  private final TimeSource time;
  private final Duration retryDelay;
  private final Listener listener;
  private final Map<Integer, Shard> shards = new HashMap<>();
  private final Map<Integer, ShardLease> leases = new ConcurrentHashMap<>();

  private static final class Shard {
    State state = State.STOPPED;
    /**
     * An acquire of the shard is in flight. There is never more than one: a second would bump
     * the epoch past the lease the first returns and fence this replica's own writes.
     */
    boolean requested;
    /** It stopped because another replica took it, and it is not to be taken back yet. */
    boolean lost;
    Promise<Void> acquired;
  }

  public ShardOwnership(LeaseStore store, TimeSource time, Duration retryDelay,
      Listener listener) {
    this.store = store;
    this.time = time;
    this.retryDelay = retryDelay;
    this.listener = listener;
  }

  /**
   * The partition table gives this replica {@code assigned} (at start-up, after a migration, or
   * on a periodic reconciliation: calling it again changes nothing): those STOPPED start
   * ACQUIRING, but a lost one only once nobody holds it any more. The future completes once
   * each of them is OWNED or no longer assigned; lost ones are not waited for.
   */
  public Future<Void> assign(Collection<Integer> assigned) {
    List<Future<Void>> waits = new ArrayList<>();
    List<Integer> lost = new ArrayList<>();
    List<Integer> toAcquire;
    synchronized (this) {
      for (int id : assigned) {
        Shard shard = shards.computeIfAbsent(id, key -> new Shard());
        if (shard.state == State.STOPPED && shard.lost) {
          lost.add(id);
        }
      }
      toAcquire = startAcquiring(assigned, waits);
    }
    acquire(toAcquire);
    if (!lost.isEmpty()) {
      store.reclaimable(lost).onSuccess(this::reclaim);
    }
    return Future.all(waits).mapEmpty();
  }

  /** Lost shards that nobody holds any more are acquired again, if still STOPPED and lost. */
  private void reclaim(Set<Integer> free) {
    List<Integer> toAcquire;
    synchronized (this) {
      List<Integer> reclaimed = new ArrayList<>();
      for (int id : free) {
        Shard shard = shards.get(id);
        if (shard != null && shard.state == State.STOPPED && shard.lost) {
          shard.lost = false;
          reclaimed.add(id);
        }
      }
      toAcquire = startAcquiring(reclaimed, new ArrayList<>());
      if (!reclaimed.isEmpty()) {
        LOG.atInfo().addKeyValue("shards", reclaimed.size())
            .log("lost shards nobody holds any more are acquired again: {}", ranges(reclaimed));
      }
    }
    acquire(toAcquire);
  }

  /** STOPPED shards of {@code ids} that are not lost go ACQUIRING; returns those to request. */
  private List<Integer> startAcquiring(Collection<Integer> ids, List<Future<Void>> waits) {
    List<Integer> toAcquire = new ArrayList<>();
    for (int id : ids) {
      Shard shard = shards.computeIfAbsent(id, key -> new Shard());
      if (shard.state == State.STOPPED && !shard.lost) {
        shard.state = State.ACQUIRING;
        shard.acquired = Promise.promise();
        if (!shard.requested) {
          shard.requested = true;
          toAcquire.add(id);
        }
      }
      if (shard.state == State.ACQUIRING) {
        waits.add(shard.acquired.future());
      }
    }
    return toAcquire;
  }

  /**
   * The partition table took {@code unassigned} away: they stop, and their leases are released
   * so the next owner need not wait for them to expire; the future completes when they are
   * (a release that fails is logged, and the leases expire instead).
   */
  public Future<Void> unassign(Collection<Integer> unassigned) {
    List<ShardLease> released = new ArrayList<>();
    List<Promise<Void>> abandoned = new ArrayList<>();
    synchronized (this) {
      Set<Integer> stopping = new TreeSet<>();
      for (int id : unassigned) {
        Shard shard = shards.get(id);
        if (shard == null) {
          continue;
        }
        shard.lost = false; // it moved away: when it comes back it is acquired as any other
        if (shard.state == State.STOPPED) {
          continue;
        }
        if (shard.state == State.ACQUIRING) {
          shard.state = State.STOPPED;
          abandoned.add(shard.acquired);
        } else {
          stopping.add(id);
          released.add(leases.get(id));
        }
      }
      stop(stopping, "unassigned");
    }
    abandoned.forEach(Promise::tryComplete);
    if (released.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.release(released).recover(e -> {
      LOG.atWarn().addKeyValue("shards", released.size())
          .log("cannot release leases (they expire instead): {}", e.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * A write presenting {@code lease} was refused because the shard's epoch moved on. Stops the
   * shard if that lease is still the one it runs with (a refusal of an older lease, from before
   * the shard was acquired again, changes nothing). Returns whether the shard stopped.
   */
  public boolean lost(ShardLease lease) {
    synchronized (this) {
      if (!lease.equals(leases.get(lease.shard()))) {
        return false;
      }
      stop(new TreeSet<>(Set.of(lease.shard())), "lost to a higher epoch than " + lease.epoch());
      shards.get(lease.shard()).lost = true;
      return true;
    }
  }

  /** The lease of {@code shard} while it is OWNED, else null. Takes no lock. */
  public ShardLease lease(int shard) {
    return leases.get(shard);
  }

  /** The shards OWNED now. */
  public Integer[] owned() {
    return leases.keySet().toArray(new Integer[0]);
  }

  /** The leases of the shards OWNED now. */
  public List<ShardLease> leases() {
    return new ArrayList<>(leases.values());
  }

  /** The state of {@code shard}. */
  public synchronized State state(int shard) {
    Shard entry = shards.get(shard);
    return entry == null ? State.STOPPED : entry.state;
  }

  /**
   * Stops every shard this replica runs; the future completes when their leases are released
   * (or could not be, and will expire).
   */
  public Future<Void> stopAll() {
    synchronized (this) {
      return unassign(new ArrayList<>(shards.keySet()));
    }
  }

  private void stop(Set<Integer> stopping, String why) {
    if (stopping.isEmpty()) {
      return;
    }
    for (int id : stopping) {
      shards.get(id).state = State.STOPPING;
      leases.remove(id);
    }
    try {
      listener.stopping(stopping);
    } finally {
      for (int id : stopping) {
        shards.get(id).state = State.STOPPED;
      }
    }
    LOG.atDebug().addKeyValue("shards", stopping.size()).addKeyValue("reason", why)
        .log("shards stopped: {}", ranges(stopping));
  }

  private void acquire(List<Integer> ids) {
    if (ids.isEmpty()) {
      return;
    }
    store.acquire(ids).onComplete(result -> {
      if (result.succeeded()) {
        granted(result.result());
      } else {
        retry(ids, result.cause());
      }
    });
  }

  private void granted(List<ShardLease> granted) {
    List<ShardLease> owned = new ArrayList<>(granted.size());
    synchronized (this) {
      for (ShardLease lease : granted) {
        Shard shard = shards.get(lease.shard());
        shard.requested = false;
        if (shard.state == State.ACQUIRING) {
          shard.state = State.OWNED;
          leases.put(lease.shard(), lease);
          owned.add(lease);
        }
      }
    }
    if (!owned.isEmpty()) {
      LOG.atDebug().addKeyValue("shards", owned.size())
          .log("shards owned: {}", ranges(owned.stream().map(ShardLease::shard).toList()));
      listener.owned(owned);
    }
    List<Promise<Void>> acquired = new ArrayList<>(owned.size());
    synchronized (this) {
      owned.forEach(lease -> acquired.add(shards.get(lease.shard()).acquired));
    }
    acquired.forEach(Promise::tryComplete);
  }

  private void retry(List<Integer> ids, Throwable cause) {
    List<Integer> still = new ArrayList<>();
    synchronized (this) {
      for (int id : ids) {
        Shard shard = shards.get(id);
        if (shard.state == State.ACQUIRING) {
          still.add(id);
        } else {
          shard.requested = false;
        }
      }
    }
    if (still.isEmpty()) {
      return;
    }
    LOG.atWarn().addKeyValue("shards", still.size())
        .log("cannot acquire shards, trying again in {}: {}", retryDelay, cause.toString());
    time.schedule(retryDelay, () -> acquire(still));
  }

  /** Shard numbers as ranges, e.g. {@code 0-3,7,9-270}: a log line stays short. */
  public static String ranges(Collection<Integer> shards) {
    StringBuilder text = new StringBuilder();
    int start = -1;
    int previous = -1;
    for (int shard : new TreeSet<>(shards)) {
      if (start >= 0 && shard == previous + 1) {
        previous = shard;
        continue;
      }
      appendRange(text, start, previous);
      start = shard;
      previous = shard;
    }
    appendRange(text, start, previous);
    return text.toString();
  }

  private static void appendRange(StringBuilder text, int start, int end) {
    if (start < 0) {
      return;
    }
    text.append(text.length() > 0 ? "," : "").append(start);
    if (end > start) {
      text.append('-').append(end);
    }
  }
}
