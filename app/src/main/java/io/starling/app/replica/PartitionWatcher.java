package io.starling.app.replica;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.ReplicaMigrationEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.shard.ShardGroup;
import io.starling.admin.shard.ShardMap;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the shards the propeller and the scheduler run equal to the partitions the local Hazelcast member owns
 * in its group's cluster (partition {@code p} of group {@code g} is shard
 * {@code g × partitions + p}): partitions gained are assigned, partitions lost are unassigned. It reconciles whenever a
 * migration ends or a member leaves, and every {@code interval} besides, so a missed event
 * costs at most that long; reconciling again changes nothing (the propeller's ownership is
 * idempotent, and a shard it lost to another replica is not taken back by force).
 */
final class PartitionWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionWatcher.class);

  private final HazelcastInstance hazelcast;
  private final ShardMap shards;
  private final ShardGroup group;
  private final List<ShardRunner> runners;
  private final TimeSource time;
  private final Duration interval;
  private final Counter migrations;
  private volatile Set<Integer> owned = Set.of();
  /** Shards gained and lost since the last settled migration process. */
  private final AtomicInteger gained = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();
  private UUID migrationListener;
  private UUID membershipListener;
  private TimeSource.Timer timer;

  PartitionWatcher(HazelcastInstance hazelcast, ShardMap shards, ShardGroup group,
      List<ShardRunner> runners, TimeSource time, Duration interval, PrometheusRegistry registry) {
    this.hazelcast = hazelcast;
    this.shards = shards;
    this.group = group;
    this.runners = List.copyOf(runners);
    this.time = time;
    this.interval = interval;
    this.migrations = Counter.builder()
        .name("starling_cluster_partition_migrations_total")
        .help("Partition owner changes this member took part in, gained or lost")
        .labelNames("direction")
        .register(registry);
    migrations.labelValues("gained");
    migrations.labelValues("lost");
    GaugeWithCallback.builder()
        .name("starling_cluster_members")
        .help("Members of the cluster as this member sees it")
        .callback(callback -> callback.call(hazelcast.getLifecycleService().isRunning()
            ? hazelcast.getCluster().getMembers().size() : 0))
        .register(registry);
  }

  /** Starts watching; the future completes once the partitions owned now are owned shards. */
  Future<Void> start() {
    migrationListener = hazelcast.getPartitionService().addMigrationListener(
        new MigrationListener() {
          @Override
          public void migrationStarted(MigrationState state) {}

          @Override
          public void migrationFinished(MigrationState state) {
            reconcile();
            settled(state.getCompletedMigrations());
          }

          @Override
          public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
            if (event.getReplicaIndex() == 0) {
              reconcile();
            }
          }

          @Override
          public void replicaMigrationFailed(ReplicaMigrationEvent event) {}
        });
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        reconcile();
      }
    });
    timer = time.periodic(interval, this::reconcile);
    return reconcile().onSuccess(done -> settled(0));
  }

  /**
   * One line per migration process, however many partitions moved: quiet at INFO. Takes no
   * lock: it runs on whatever thread completed the reconciliation.
   */
  private void settled(int migrations) {
    int shards = owned.size();
    LOG.atInfo().addKeyValue("group", group.name()).addKeyValue("shards", shards)
        .addKeyValue("gained", gained.getAndSet(0)).addKeyValue("lost", lost.getAndSet(0))
        .addKeyValue("migrations", migrations)
        .log("partitions settled: this replica runs {} shards", shards);
  }

  /** Stops watching; the shards stay as they are (the runners' stops let them go). */
  void stop() {
    if (timer != null) {
      timer.cancel();
      hazelcast.getPartitionService().removeMigrationListener(migrationListener);
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    }
  }

  /** Assigns the partitions owned now and unassigns those owned no more. */
  synchronized Future<Void> reconcile() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return Future.succeededFuture();
    }
    Set<Integer> now = ownedPartitions();
    Set<Integer> lost = new TreeSet<>(owned);
    lost.removeAll(now);
    Set<Integer> gained = new TreeSet<>(now);
    gained.removeAll(owned);
    owned = now;
    if (!lost.isEmpty()) {
      migrations.labelValues("lost").inc(lost.size());
      this.lost.addAndGet(lost.size());
      runners.forEach(runner -> runner.unassign(lost));
    }
    if (!gained.isEmpty()) {
      migrations.labelValues("gained").inc(gained.size());
      this.gained.addAndGet(gained.size());
    }
    return Future.all(runners.stream().map(runner -> runner.assign(now)).toList()).mapEmpty();
  }

  private Set<Integer> ownedPartitions() {
    var local = hazelcast.getCluster().getLocalMember();
    Set<Integer> owned = new HashSet<>();
    for (Partition partition : hazelcast.getPartitionService().getPartitions()) {
      if (local.equals(partition.getOwner())) {
        owned.add(shards.shardOfPartition(group, partition.getPartitionId()));
      }
    }
    return owned;
  }
}
