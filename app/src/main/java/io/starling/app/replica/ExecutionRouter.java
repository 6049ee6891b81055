package io.starling.app.replica;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.partition.Partition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.ExecutionListener;
import io.starling.propeller.Propeller;

/**
 * Carries the admin's notifications (an execution created, a termination requested) at once to
 * the propeller that owns the execution's shard: the member that owns the shard's Hazelcast
 * partition, this one or another (through Hazelcast's executor, {@link RoutedNotice}).
 *
 * <p>Nothing waits for a notification: a call to the admin never waits on an owner, alive or
 * dead. A notification that finds no owner (a partition between owners, a member that just
 * died) or no propeller (before the propeller is bound, on a replica without the propeller
 * role) is dropped and counted; the owner's periodic scan of its shards finds the execution
 * within {@code propeller.scan-interval}.
 */
final class ExecutionRouter implements ExecutionListener {

  /** Where a routed notice finds the router of the member it runs on. */
  static final String CONTEXT_KEY = "starling.router";

  private final HazelcastInstance hazelcast;
  private final IExecutorService executor;
  private final Counter routed;
  private final Histogram latency;
  private volatile Propeller propeller;

  ExecutionRouter(HazelcastInstance hazelcast, PrometheusRegistry registry) {
    this.hazelcast = hazelcast;
    this.executor = hazelcast.getExecutorService("starling-routing");
    this.routed = Counter.builder()
        .name("starling_cluster_routed_total")
        .help("Admin notifications routed to the owner of the execution's shard, by where they"
            + " went: local, remote, or dropped (no owner or no propeller; the scan finds them)")
        .labelNames("kind", "outcome")
        .register(registry);
    this.latency = Histogram.builder()
        .name("starling_cluster_routed_seconds")
        .help("Time for a notification to reach another member's propeller")
        .classicExponentialUpperBounds(0.0001, 2, 16)
        .register(registry);
  }

  /** Delivers notifications to {@code target}, the propeller of this replica, from now on. */
  void bind(Propeller target) {
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

  private void route(RoutedNotice notice) {
    Partition partition = hazelcast.getPartitionService().getPartition(notice.shard());
    Member owner = partition == null ? null : partition.getOwner();
    if (owner == null) {
      count(notice, "dropped");
    } else if (owner.localMember()) {
      deliver(notice);
    } else {
      long start = System.nanoTime();
      try {
        executor.submitToMember(notice, owner, new ExecutionCallback<Void>() {
          @Override
          public void onResponse(Void response) {
            latency.observe((System.nanoTime() - start) / 1e9);
            count(notice, "remote");
          }

          @Override
          public void onFailure(Throwable error) {
            count(notice, "dropped");
          }
        });
      } catch (RuntimeException memberGone) {
        count(notice, "dropped");
      }
    }
  }

  /** A notice for this member's propeller. */
  void deliver(RoutedNotice notice) {
    Propeller target = propeller;
    if (target == null) {
      count(notice, "dropped");
      return;
    }
    if (notice.kind() == RoutedNotice.Kind.CREATED) {
      target.executionCreated(notice.executionId(), notice.shard());
    } else {
      target.abortRequested(notice.executionId(), notice.shard());
    }
    count(notice, "local");
  }

  private void count(RoutedNotice notice, String outcome) {
    routed.labelValues(notice.kind().name(), outcome).inc();
  }
}
