package io.starling.app.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.starling.admin.shard.ShardGroup;
import io.starling.admin.shard.ShardMap;
import io.starling.app.cluster.ReplicaTable.Published;
import io.starling.proto.admin.Cluster;
import io.starling.proto.admin.ReplicaStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as one replica answers it (pure): the live replicas' published statuses, this
 * replica's own as it is now in place of its published one, each given the shards its id holds
 * in the lease tables; the shards of the configured groups that no listed replica holds.
 */
final class ClusterView {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterView.class);

  private ClusterView() {}

  /** {@code self}: this replica's status now; {@code instance}: its process's published row. */
  static Cluster of(ReplicaStatus self, UUID instance, Instant now,
      List<Published> live, Map<String, List<Integer>> propeller,
      Map<String, List<Integer>> scheduler, ShardMap shards) {
    List<ReplicaStatus> replicas = new ArrayList<>();
    replicas.add(self.toBuilder().setSelf(true)
        .setHeartbeatAt(Timestamps.fromMillis(now.toEpochMilli())).build());
    for (Published published : live) {
      if (!published.instance().equals(instance)) {
        parse(published).ifPresent(status -> replicas.add(status.toBuilder()
            .setHeartbeatAt(Timestamps.fromMillis(published.heartbeatAt().toEpochMilli()))
            .build()));
      }
    }
    Set<Integer> heldByPropeller = new HashSet<>();
    Set<Integer> heldByScheduler = new HashSet<>();
    Cluster.Builder cluster = Cluster.newBuilder().setShards(shards.partitions());
    replicas.stream().sorted(Comparator.comparing(ReplicaStatus::getId)).forEach(replica -> {
      List<Integer> propellerShards = propeller.getOrDefault(replica.getId(), List.of());
      List<Integer> schedulerShards = scheduler.getOrDefault(replica.getId(), List.of());
      heldByPropeller.addAll(propellerShards);
      heldByScheduler.addAll(schedulerShards);
      cluster.addReplicas(replica.toBuilder().addAllPropellerShards(propellerShards)
          .addAllSchedulerShards(schedulerShards));
    });
    for (ShardGroup group : shards.groups().stream()
        .sorted(Comparator.comparingInt(ShardGroup::id)).toList()) {
      for (int partition = 0; partition < shards.partitions(); partition++) {
        int shard = shards.shardOfPartition(group, partition);
        if (!heldByPropeller.contains(shard)) {
          cluster.addUnheldPropellerShards(shard);
        }
        if (!heldByScheduler.contains(shard)) {
          cluster.addUnheldSchedulerShards(shard);
        }
      }
    }
    return cluster.build();
  }

  private static Optional<ReplicaStatus> parse(Published published) {
    try {
      return Optional.of(ReplicaStatus.parseFrom(published.status()));
    } catch (InvalidProtocolBufferException e) {
      LOG.atWarn().addKeyValue("replica", published.replicaId())
          .log("a replica's published status does not parse; left out of the cluster view");
      return Optional.empty();
    }
  }
}
