package io.starling.app.cluster;

import com.google.protobuf.Descriptors;
import io.starling.admin.api.CallEnds;
import io.starling.admin.shard.ShardMap;
import io.starling.auth.Authenticator;
import io.starling.auth.Principal;
import io.starling.auth.Role;
import io.starling.ownership.LeaseTable;
import io.starling.proto.admin.Cluster;
import io.starling.proto.admin.ClusterDescribeRequest;
import io.starling.proto.admin.ClusterServiceGrpcService;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;
import java.util.List;
import java.util.Map;

/**
 * ClusterService: DescribeCluster for any caller that may read (any project), three queries
 * (the live replicas, the two lease tables) and {@link ClusterView}.
 */
final class ClusterEndpoint implements Service {

  private final ReplicaTable table;
  private final LocalReplica local;
  private final ShardMap shards;
  private final TimeSource time;
  private final Authenticator auth;
  private final int maxMessageBytes;

  ClusterEndpoint(ReplicaTable table, LocalReplica local, ShardMap shards, TimeSource time,
      Authenticator auth, int maxMessageBytes) {
    this.table = table;
    this.local = local;
    this.shards = shards;
    this.time = time;
    this.auth = auth;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public ServiceName name() {
    return ClusterServiceGrpcService.SERVICE_NAME;
  }

  @Override
  public Descriptors.ServiceDescriptor descriptor() {
    return ClusterServiceGrpcService.SERVICE_DESCRIPTOR;
  }

  @Override
  public void bind(GrpcServer server) {
    CallEnds.unary(server, ClusterServiceGrpcService.DescribeCluster, auth, this::describe,
        maxMessageBytes);
  }

  private Future<Cluster> describe(Principal who, ClusterDescribeRequest request) {
    // Any key that may read in its own project (or in all) may see the cluster.
    auth.require(who, Role.READ, who.project());
    Future<List<ReplicaTable.Published>> live = table.live(ClusterStatus.TIMEOUT);
    Future<Map<String, List<Integer>>> propeller = table.holders(LeaseTable.PROPELLER);
    Future<Map<String, List<Integer>>> scheduler = table.holders(LeaseTable.SCHEDULER);
    return Future.all(live, propeller, scheduler).map(all -> ClusterView.of(local.status(),
        local.instance, time.now(), live.result(), propeller.result(), scheduler.result(),
        shards));
  }
}
