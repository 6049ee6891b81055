package io.starling.app.replica;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.ExecutionListener;
import io.starling.admin.shard.ShardMap;
import io.starling.propeller.Propeller;
import io.starling.propeller.plugin.worker.WorkerPlugin;
import io.starling.propeller.plugin.worker.WorkerSessions;
import io.starling.time.TimeSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries the admin's notifications (an execution created, a termination requested) and the
 * workers' (an attempt of a worker task ended) at once to the propeller that owns the
 * execution's shard: the member that owns the shard's partition in
 * its group's Hazelcast cluster, this one or another (through Hazelcast's executor,
 * {@link RoutedNotice}); for a group this replica is no member of, through a client of that
 * group's cluster.
 *
 * <p>Nothing waits for a notification: a call to the admin never waits on an owner, alive or
 * dead. A notification that finds no owner (a partition between owners, a member that just
 * died, a group out of reach) or no propeller that holds the shard (before the propeller is
 * bound, while the owner still acquires the shard, when this replica's partition table lags a
 * migration) is tried again a few times with backoff, then dropped and counted; the owner's
 * scan of a shard it acquires, and its periodic scan, find the execution.
 */
final class ExecutionRouter implements ExecutionListener, WorkerSessions.Notices {

  /** Where a routed notice finds the router of the member it runs on. */
  static final String CONTEXT_KEY = "starling.router";

  private static final String EXECUTOR = "starling-routing";
  /**
   * How long a notice that finds no owner ready is tried again: long enough to outlast a
   * partition migration and the failure detector's count of a dead owner
   * ({@code cluster.heartbeat-timeout}, 5 s in the chaos tests); the scans take over after.
   */
  private static final Duration RETRY_FOR = Duration.ofSeconds(10);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);
  private static final Duration MAX_RETRY = Duration.ofSeconds(1);

  private record Route(PartitionTable partitions, HazelcastInstance hazelcast) {}

  private final ShardMap shards;
  private final TimeSource time;
  private final Map<Integer, Route> routes = new HashMap<>();
  private final Counter routed;
  private final Histogram latency;
  private volatile Propeller propeller;
  private volatile WorkerPlugin workers;

  /** Routes by {@code shards} through {@code clusters}: a member or a client per group id. */
  ExecutionRouter(ShardMap shards, Map<Integer, HazelcastInstance> clusters, TimeSource time,
      PrometheusRegistry registry) {
    this.shards = shards;
    this.time = time;
    clusters.forEach((group, hazelcast) -> routes.put(group, new Route(
        new PartitionTable(hazelcast), hazelcast)));
    this.routed = Counter.builder()
        .name("starling_cluster_routed_total")
        .help("Notifications routed to the owner of a shard (the admin's, and the ends of worker"
            + " attempts), by where they went: local, remote; retried (no owner, or no propeller"
            + " that holds the shard or waits for the attempt yet); dropped after retrying for"
            + " 10s (the scans and the worker plugin's polls find them)")
        .labelNames("kind", "outcome")
        .register(registry);
    this.latency = Histogram.builder()
        .name("starling_cluster_routed_seconds")
        .help("Time for a notification to reach another member's propeller")
        .classicExponentialUpperBounds(0.0001, 2, 16)
        .register(registry);
  }

  /**
   * Delivers notifications to {@code target}, the propeller of this replica, and to its
   * {@code workerPlugin}, from now on.
   */
  void bind(Propeller target, WorkerPlugin workerPlugin) {
    this.workers = workerPlugin;
    this.propeller = target;
  }

  @Override
  public void executionCreated(long executionId, int shard) {
    route(new RoutedNotice(RoutedNotice.Kind.CREATED, executionId, shard));
  }

  @Override
  public void abortRequested(long executionId, int shard) {
    route(new RoutedNotice(RoutedNotice.Kind.ABORT_REQUESTED, executionId, shard));
  }

  @Override
  public void ended(int shard, long attemptId) {
    route(new RoutedNotice(RoutedNotice.Kind.ATTEMPT_ENDED, attemptId, shard));
  }

  private void route(RoutedNotice notice) {
    route(notice, FIRST_RETRY, time.nanoTime() + RETRY_FOR.toNanos());
  }

  /**
   * Sends {@code notice} to the owner; when it finds none or the owner's propeller does not
   * hold the shard yet, tries again after {@code delay} (doubled each time, at most
   * {@link #MAX_RETRY}) until {@code deadline}, then leaves it to the scans.
   */
  private void route(RoutedNotice notice, Duration delay, long deadline) {
    Route route = shards.groupOfShard(notice.shard()).map(group -> routes.get(group.id()))
        .orElse(null);
    Member owner = route == null ? null : route.partitions().owner(
        shards.partitionOf(notice.shard()));
    if (owner == null) {
      missed(notice, delay, deadline);
    } else if (owner.localMember()) {
      if (deliver(notice)) {
        count(notice, "local");
      } else {
        missed(notice, delay, deadline);
      }
    } else {
      long start = time.nanoTime();
      try {
        route.hazelcast().getExecutorService(EXECUTOR).submitToMember(notice, owner,
            new ExecutionCallback<Boolean>() {
              @Override
              public void onResponse(Boolean delivered) {
                latency.observe((time.nanoTime() - start) / 1e9);
                if (Boolean.TRUE.equals(delivered)) {
                  count(notice, "remote");
                } else {
                  missed(notice, delay, deadline);
                }
              }

              @Override
              public void onFailure(Throwable error) {
                missed(notice, delay, deadline);
              }
            });
      } catch (RuntimeException memberOrClusterGone) {
        missed(notice, delay, deadline);
      }
    }
  }

  private void missed(RoutedNotice notice, Duration delay, long deadline) {
    if (time.nanoTime() + delay.toNanos() > deadline) {
      count(notice, "dropped");
      return;
    }
    count(notice, "retried");
    Duration next = delay.multipliedBy(2);
    time.schedule(delay, () -> route(notice, next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next,
        deadline));
  }

  /**
   * Hands a notice to this member's propeller; false when it holds no lease of the shard (or,
   * for an attempt that ended, does not wait for it).
   */
  boolean deliver(RoutedNotice notice) {
    Propeller target = propeller;
    if (target == null) {
      return false;
    }
    return switch (notice.kind()) {
      case CREATED -> target.executionCreated(notice.id(), notice.shard());
      case ABORT_REQUESTED -> target.abortRequested(notice.id(), notice.shard());
      case ATTEMPT_ENDED -> workers.ended(notice.id());
    };
  }

  private void count(RoutedNotice notice, String outcome) {
    routed.labelValues(notice.kind().name(), outcome).inc();
  }
}
