package io.starling.app.cli;

import io.starling.proto.admin.Cluster;
import io.starling.proto.admin.ClusterDescribeRequest;
import io.starling.proto.admin.ClusterServiceGrpcClient;
import io.starling.proto.admin.ReplicaStatus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code starling cluster}: the live replicas (the one that answered marked {@code *}), their
 * roles, shards and workers, and the shards no replica holds.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Show the replicas: address, roles, start, shards held, workers and their"
        + " free capacity; and the shards no replica holds.")
public final class ClusterCommand implements Callable<Integer> {

  private static final String ROW = "%-22s %-26s %-26s %-22s %-9s %-9s %-7s %s%n";

  @Mixin ServerOptions server;

  @Mixin OutputOption output;

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      Cluster cluster = client.call(ClusterServiceGrpcClient.DescribeCluster,
          ClusterDescribeRequest.getDefaultInstance());
      if (!output.table()) {
        output.print(cluster, System.out);
        return 0;
      }
      System.out.printf(ROW, "REPLICA", "ADDRESS", "ROLES", "STARTED", "PROPELLER",
          "SCHEDULER", "WORKERS", "FREE");
      for (ReplicaStatus replica : cluster.getReplicasList()) {
        System.out.printf(ROW, replica.getId() + (replica.getSelf() ? " *" : ""),
            replica.getGrpcAddress().isEmpty() ? "-" : replica.getGrpcAddress(),
            String.join(",", replica.getRolesList()), Format.time(replica.getStartedAt()),
            replica.getPropellerShardsCount(), replica.getSchedulerShardsCount(),
            replica.getWorkersCount(), Integer.toUnsignedString(replica.getFreeCapacity()));
      }
      System.out.println();
      for (ReplicaStatus replica : cluster.getReplicasList()) {
        System.out.println(replica.getId() + " propeller shards: "
            + ranges(replica.getPropellerShardsList()) + "; scheduler shards: "
            + ranges(replica.getSchedulerShardsList()));
      }
      System.out.println("unheld propeller shards: " + ranges(cluster.getUnheldPropellerShardsList())
          + "; scheduler shards: " + ranges(cluster.getUnheldSchedulerShardsList()) + " (of "
          + cluster.getShards() + " per group)");
    }
    return 0;
  }

  /** Ascending shard numbers as ranges: {@code 0-3,7,9-12}; {@code none} when empty. */
  static String ranges(List<Integer> shards) {
    if (shards.isEmpty()) {
      return "none";
    }
    StringBuilder text = new StringBuilder();
    int start = shards.get(0);
    int previous = start;
    for (int i = 1; i <= shards.size(); i++) {
      if (i < shards.size() && shards.get(i) == previous + 1) {
        previous = shards.get(i);
        continue;
      }
      text.append(text.isEmpty() ? "" : ",").append(start)
          .append(previous == start ? "" : "-" + previous);
      if (i < shards.size()) {
        start = shards.get(i);
        previous = start;
      }
    }
    return text.toString();
  }
}
