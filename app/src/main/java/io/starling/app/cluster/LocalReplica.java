package io.starling.app.cluster;

import com.google.protobuf.util.Timestamps;
import io.starling.propeller.plugin.worker.ConnectedWorker;
import io.starling.propeller.plugin.worker.WorkerSessions;
import io.starling.proto.admin.ReplicaStatus;
import io.starling.proto.admin.WorkerSessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What this replica says of itself: its id, address, roles, start and group, fixed once it
 * serves, and its workers as they are now. One process is one {@code instance}.
 */
public final class LocalReplica {

  final UUID instance = UUID.randomUUID();
  final String id;
  private final List<String> roles;
  private final Instant startedAt;
  private final String group;
  private final WorkerSessions workers;
  private volatile String grpcAddress = "";

  /**
   * @param id the owner name of its leases
   * @param group the sharding group it runs shards of; empty when none
   * @param workers its worker sessions; null without the admin role
   */
  public LocalReplica(String id, List<String> roles, Instant startedAt, String group,
      WorkerSessions workers) {
    this.id = id;
    this.roles = List.copyOf(roles);
    this.startedAt = startedAt;
    this.group = group;
    this.workers = workers;
  }

  /** Where its gRPC port is reached, once it listens. */
  public void grpcAddress(String address) {
    this.grpcAddress = address;
  }

  String grpcAddress() {
    return grpcAddress;
  }

  /** Its status now, without shards. */
  ReplicaStatus status() {
    ReplicaStatus.Builder status = ReplicaStatus.newBuilder().setId(id)
        .setGrpcAddress(grpcAddress).addAllRoles(roles)
        .setStartedAt(Timestamps.fromMillis(startedAt.toEpochMilli())).setGroup(group);
    if (workers != null) {
      int free = 0;
      for (ConnectedWorker worker : workers.connected()) {
        status.addWorkers(WorkerSessionStatus.newBuilder().setWorkerId(worker.workerId())
            .addAllQueues(worker.queues()).setCapacity(worker.capacity())
            .setFree(worker.free()));
        free += worker.free();
      }
      status.setFreeCapacity(free);
    }
    return status.build();
  }
}
