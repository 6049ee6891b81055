package io.starling.app.cluster;

import io.starling.admin.shard.ShardMap;
import io.starling.auth.Authenticator;
import io.starling.schema.DatabaseHealth;
import io.starling.time.TimeSource;
import io.vertx.core.Future;
import io.vertx.grpc.server.Service;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster view's two halves on one replica: publishing this replica's status in the
 * {@code replicas} table every {@link #INTERVAL} (a timer of the time source; a write still
 * in flight skips a beat, so writes never pile up), and {@link ClusterEndpoint}, which reads
 * every replica's. A replica not heard from for {@link #TIMEOUT} (dead, paused, cut off from
 * the database) is left out of the view; a graceful stop deletes its row at once.
 */
public final class ClusterStatus {

  /** How often a replica publishes its status. */
  static final Duration INTERVAL = Duration.ofSeconds(1);
  /** How long a replica not heard from stays in the view. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ReplicaTable table;
  private final LocalReplica local;
  private final ShardMap shards;
  private final TimeSource time;
  private final DatabaseHealth health = new DatabaseHealth("cluster-status", method -> { });
  private final AtomicBoolean writing = new AtomicBoolean();
  private TimeSource.Timer timer;

  public ClusterStatus(Pool pool, LocalReplica local, ShardMap shards, TimeSource time) {
    this.table = new ReplicaTable(pool);
    this.local = local;
    this.shards = shards;
    this.time = time;
  }

  /** ClusterService, for the gRPC port. */
  public Service endpoint(Authenticator auth, int maxMessageBytes) {
    return new ClusterEndpoint(table, local, shards, time, auth, maxMessageBytes);
  }

  /**
   * Replaces the rows of an earlier process on this replica's address, publishes the first
   * status, then keeps publishing.
   */
  public Future<Void> start() {
    return table.clearPrevious(local.instance, local.grpcAddress())
        .compose(cleared -> publish())
        .onSuccess(published -> timer = time.periodic(INTERVAL, this::beat));
  }

  /** Stops publishing and deletes this replica's row. */
  public Future<Void> stop() {
    if (timer != null) {
      timer.cancel();
    }
    return table.remove(local.instance);
  }

  private void beat() {
    if (writing.compareAndSet(false, true)) {
      publish().onComplete(done -> {
        writing.set(false);
        if (done.succeeded()) {
          health.succeeded();
        } else {
          health.failed("publish", done.cause());
        }
      });
    }
  }

  private Future<Void> publish() {
    return table.publish(local.instance, local.id, local.grpcAddress(),
        local.status().toByteArray());
  }
}
