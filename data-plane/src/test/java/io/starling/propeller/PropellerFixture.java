package io.starling.propeller;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.store.InvariantChecker;
import io.starling.propeller.store.PropellerStore;
import io.starling.schema.DatabaseOptions;
import io.starling.time.TimeSource;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Propellers on a test database, with what their tests wait for (the end of each execution),
 * and the invariant check of the stored state when the test is done.
 */
final class PropellerFixture implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final TimeSource time;
  final Pool pool;
  final Database database;
  private final List<Propeller> propellers = new ArrayList<>();
  private final Map<Long, CompletableFuture<WorkflowExecution.Phase>> finished =
      new ConcurrentHashMap<>();

  /** Propellers on the machine's time. */
  PropellerFixture(DatabaseOptions options) {
    this(options, null);
  }

  /** Propellers on {@code time} (a manual one), or on the machine's time when it is null. */
  PropellerFixture(DatabaseOptions options, TimeSource time) {
    this.time = time != null ? time : TimeSource.vertx(vertx);
    this.pool = io.starling.schema.Database.pool(vertx, options);
    this.database = new Database(options);
  }

  /** A propeller on the PostgreSQL store, not started. */
  Propeller propeller(PropellerOptions options, TaskPlugins plugins) {
    PrometheusRegistry registry = new PrometheusRegistry();
    return propeller(options, plugins, postgres(options, registry), registry);
  }

  /** The PostgreSQL store, for a propeller of {@code options} whose metrics go to {@code registry}. */
  PropellerStore postgres(PropellerOptions options, PrometheusRegistry registry) {
    return PropellerStore.postgres(pool, options.maxBatchRows(), options.maxConcurrentWrites(),
        options.graphCacheSize(), time, registry);
  }

  /** A propeller on {@code store}, not started. */
  Propeller propeller(PropellerOptions options, TaskPlugins plugins, PropellerStore store,
      PrometheusRegistry registry) {
    Propeller propeller = Propeller.create(store, options, plugins, time, registry);
    propeller.addObserver((id, phase) -> finished(id).complete(phase));
    propellers.add(propeller);
    return propeller;
  }

  /** Starts {@code propeller} and returns once it owns {@code shards}. */
  static Propeller started(Propeller propeller, Collection<Integer> shards) {
    propeller.start();
    propeller.assign(shards).await();
    return propeller;
  }

  CompletableFuture<WorkflowExecution.Phase> finished(long executionId) {
    return finished.computeIfAbsent(executionId, id -> new CompletableFuture<>());
  }

  WorkflowExecution.Phase awaitFinished(long executionId) throws Exception {
    return finished(executionId).get(60, TimeUnit.SECONDS);
  }

  /** Stops the propellers, checks the invariants of what they stored, closes everything. */
  @Override
  public void close() {
    propellers.forEach(Propeller::stop);
    try {
      assertThat(new InvariantChecker(pool).violations().await()).isEmpty();
    } finally {
      pool.close().await();
      vertx.close().await();
    }
  }
}
