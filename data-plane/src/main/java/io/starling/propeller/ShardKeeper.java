package io.starling.propeller;

import io.starling.ownership.LeaseStore;
import io.starling.ownership.ShardLease;
import io.starling.ownership.ShardOwnership;
import io.starling.propeller.store.ActiveExecution;
import io.starling.propeller.store.PropellerStore;
import io.starling.schema.DatabaseHealth;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the shards of one replica: their {@link ShardOwnership} on the store's leases, the
 * renewal of those leases (a lease that cannot be renewed was lost), and the scans that find
 * the non-terminal executions of owned shards, when a shard becomes owned and periodically.
 */
final class ShardKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(ShardKeeper.class);

  private final PropellerStore store;
  private final PropellerOptions options;
  private final TimeSource time;
  private final DatabaseHealth health;
  private final PropellerMetrics metrics;
  private final Consumer<ActiveExecution> found;
  private final ShardOwnership ownership;
  /** When each shard not yet taken over was assigned here ({@link TimeSource#nanoTime}). */
  private final Map<Integer, Long> assignedAt = new ConcurrentHashMap<>();
  private volatile boolean running;
  private TimeSource.Timer scanTimer;
  private TimeSource.Timer renewTimer;

  /**
   * @param found told of each non-terminal execution a scan finds in a shard still owned
   * @param stopping told of shards that stop, to drop everything of them
   */
  ShardKeeper(PropellerStore store, PropellerOptions options, TimeSource time,
      DatabaseHealth health, PropellerMetrics metrics, Consumer<ActiveExecution> found,
      Consumer<Set<Integer>> stopping) {
    this.store = store;
    this.options = options;
    this.time = time;
    this.health = health;
    this.metrics = metrics;
    this.found = found;
    this.ownership = new ShardOwnership(leaseStore(), time, options.retryDelay(),
        new ShardOwnership.Listener() {
          @Override
          public void owned(List<ShardLease> leases) {
            Integer[] shards = leases.stream().map(ShardLease::shard).toArray(Integer[]::new);
            scan(shards).onSuccess(done -> tookOver(shards));
          }

          @Override
          public void stopping(Set<Integer> shards) {
            stopping.accept(shards);
          }
        });
    metrics.ownedShards(() -> ownership.owned().length);
  }

  ShardOwnership ownership() {
    return ownership;
  }

  /** See {@link ShardOwnership#assign}; times each shard's takeover until its scan is done. */
  Future<Void> assign(Collection<Integer> shards) {
    long now = time.nanoTime();
    for (int shard : shards) {
      if (ownership.lease(shard) == null) {
        assignedAt.putIfAbsent(shard, now);
      }
    }
    return ownership.assign(shards);
  }

  /** See {@link ShardOwnership#unassign}. */
  Future<Void> unassign(Collection<Integer> shards) {
    shards.forEach(assignedAt::remove);
    return ownership.unassign(shards);
  }

  private void tookOver(Integer[] shards) {
    long now = time.nanoTime();
    for (Integer shard : shards) {
      Long since = assignedAt.remove(shard);
      if (since != null) {
        metrics.shardTakeoverSeconds.observe((now - since) / 1e9);
      }
    }
  }

  void start() {
    running = true;
    scanTimer = time.periodic(options.scanInterval(), () -> scan(ownership.owned()));
    renewTimer = time.periodic(options.leaseRenewInterval(), this::renewLeases);
  }

  /** Stops the timers and every shard; completes when their leases are released. */
  Future<Void> stop() {
    running = false;
    if (scanTimer != null) {
      scanTimer.cancel();
      renewTimer.cancel();
    }
    assignedAt.clear();
    return ownership.stopAll();
  }

  /** A write presenting {@code lease} was fenced: the shard stops if it is still its lease. */
  void lost(ShardLease lease, String execution) {
    if (ownership.lost(lease)) {
      metrics.shardsLost.inc();
      LOG.atWarn().addKeyValue("execution", execution).addKeyValue("shard", lease.shard())
          .log("write fenced: another replica owns the shard now; it stops here");
    }
  }

  private LeaseStore leaseStore() {
    return new LeaseStore() {
      @Override
      public Future<List<ShardLease>> acquire(Collection<Integer> shards) {
        return store.acquire(shards, options.replicaId());
      }

      @Override
      public Future<Void> release(Collection<ShardLease> leases) {
        return store.release(leases);
      }

      @Override
      public Future<Set<Integer>> reclaimable(Collection<Integer> shards) {
        return store.reclaimable(shards, options.leaseTimeout());
      }
    };
  }

  /** Renews the owned shards' leases; a lease that was not renewable was lost. */
  private void renewLeases() {
    List<ShardLease> held = ownership.leases();
    if (held.isEmpty()) {
      return;
    }
    store.renew(held).onSuccess(renewed -> {
      health.succeeded();
      List<Integer> lost = new ArrayList<>();
      for (ShardLease lease : held) {
        if (!renewed.contains(lease.shard()) && ownership.lost(lease)) {
          metrics.shardsLost.inc();
          lost.add(lease.shard());
        }
      }
      if (!lost.isEmpty()) {
        LOG.atWarn().addKeyValue("shards", lost.size())
            .log("leases not renewable: other replicas own these shards now; they stop here: {}",
                ShardOwnership.ranges(lost));
      }
    }).onFailure(e -> health.failed("renew", e));
  }

  private Future<Void> scan(Integer[] shards) {
    if (!running || shards.length == 0) {
      return Future.succeededFuture();
    }
    return store.active(shards).onSuccess(active -> {
      health.succeeded();
      for (ActiveExecution execution : active) {
        if (ownership.lease(execution.shard()) != null) { // not if it stopped while the scan ran
          found.accept(execution);
        }
      }
    }).onFailure(e -> health.failed("scan", e)).mapEmpty();
  }
}
