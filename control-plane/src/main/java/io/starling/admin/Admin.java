package io.starling.admin;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.api.AdminEndpoint;
import io.starling.admin.api.CreationRate;
import io.starling.auth.Authenticator;
import io.starling.admin.api.AdminGrpcService;
import io.starling.admin.execution.ExecutionService;
import io.starling.admin.registry.Registry;
import io.starling.admin.store.ExecutionStore;
import io.starling.admin.store.RegistryStore;
import io.starling.admin.store.WatchStore;
import io.starling.admin.watch.ExecutionWatches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.Service;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/** The admin: stateless, any number of replicas; everything it knows is in PostgreSQL. */
public final class Admin {

  private final AdminGrpcService calls;
  private final ExecutionWatches watches;
  private final ExecutionService executions;
  private final Registry registry;
  private final Clock clock;
  private final int maxExecutionsPerSecond;

  private Admin(AdminGrpcService calls, ExecutionWatches watches, ExecutionService executions,
      Registry registry, Clock clock, int maxExecutionsPerSecond) {
    this.calls = calls;
    this.watches = watches;
    this.executions = executions;
    this.registry = registry;
    this.clock = clock;
    this.maxExecutionsPerSecond = maxExecutionsPerSecond;
  }

  public static Admin create(Vertx vertx, Pool pool, AdminOptions options,
      ExecutionListener listener, Clock clock, PrometheusRegistry metrics) {
    RegistryStore registryStore = new RegistryStore(pool);
    ExecutionStore executionStore = new ExecutionStore(pool);
    Registry registry = new Registry(registryStore, clock, options);
    ExecutionService executions = new ExecutionService(registryStore, executionStore,
        options, listener, clock);
    ExecutionWatches watches = new ExecutionWatches(vertx, executionStore, registryStore,
        new WatchStore(pool), options.watchPollInterval(), metrics);
    return new Admin(new AdminGrpcService(registry, executions, metrics), watches, executions,
        registry, clock, options.maxExecutionsPerSecond());
  }

  /**
   * The AdminService to add to a Vert.x {@code GrpcServer} whose largest request message is
   * {@code maxMessageBytes} (a larger one is refused naming the limit).
   */
  public Service grpcService(Authenticator auth, int maxMessageBytes) {
    return new AdminEndpoint(calls, watches, auth,
        new CreationRate(clock, maxExecutionsPerSecond), maxMessageBytes);
  }

  /** See {@link Registry#checkServed}: fails when registered launch plans have no group. */
  public Future<Void> checkServed() {
    return registry.checkServed();
  }

  /** See {@link Registry#placeSchedules}: schedules activated before they fired, placed. */
  public Future<Integer> placeSchedules() {
    return registry.placeSchedules();
  }

  /** The registry, for in-process callers (tools and tests that drive a replica directly). */
  public Registry registry() {
    return registry;
  }

  /**
   * Executions, for the parts of a replica that start them in-process (launch-plan nodes, the
   * scheduler).
   */
  public ExecutionService executions() {
    return executions;
  }
}
