package io.starling.app.sandbox;

import com.hazelcast.core.HazelcastInstance;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.Admin;
import io.starling.app.config.StarlingConfig;
import io.starling.propeller.Propeller;
import io.starling.propeller.PropellerOptions;
import io.starling.propeller.ownership.HazelcastShards;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.builtin.EchoPlugin;
import io.starling.propeller.plugin.builtin.FailPlugin;
import io.starling.propeller.plugin.builtin.NoopPlugin;
import io.starling.propeller.plugin.builtin.SleepPlugin;
import io.starling.propeller.plugin.launchplan.LaunchPlanPlugin;
import io.starling.propeller.plugin.process.ProcessPlugin;
import io.starling.propeller.store.PropellerStore;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.EmbeddedDatabase;
import io.starling.time.TimeSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every role in one JVM: the admin, the propeller and, in the sandbox, an embedded PostgreSQL
 * whose data survives restarts. A Hazelcast member of its own holds the partition table that
 * decides which shards this replica owns (all of them, alone).
 */
public final class Sandbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  private final EmbeddedDatabase embedded;
  private final HazelcastInstance hazelcast;
  private final Vertx vertx;
  private final Pool pool;
  private final Propeller propeller;
  private final HttpServer grpc;
  private final HttpServer http;

  private Sandbox(StarlingConfig config) {
    DatabaseOptions database = config.database();
    if (config.embeddedDatabase()) {
      embedded = EmbeddedDatabase.start(config.dataDirectory(), 0, config.durableCommits());
      database = embedded.createDatabase(database.database()).poolSize(database.poolSize());
    } else {
      embedded = null;
    }
    Database.migrate(database);
    hazelcast = LocalCluster.start(config.clusterName(), config.clusterPort(), config.shards());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, database);
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    TimeSource time = TimeSource.vertx(vertx);
    ExecutionRouter router = new ExecutionRouter();
    Admin admin = Admin.create(vertx, pool, config.admin(), router, time.clock(), registry);
    LaunchPlanPlugin launchPlans = new LaunchPlanPlugin(time,
        new AdminChildExecutions(admin.executions()), config.launchPlanPollInterval());
    PropellerOptions options = config.propeller();
    propeller = Propeller.create(
        PropellerStore.postgres(pool, options.maxBatchRows(), options.maxConcurrentWrites(),
            options.graphCacheSize(), time, registry),
        options,
        TaskPlugins.of(new NoopPlugin(), new EchoPlugin(), new FailPlugin(),
            new SleepPlugin(time), new ProcessPlugin(config.process()), launchPlans),
        time, registry);
    propeller.addObserver(launchPlans);
    router.bind(propeller);
    propeller.start();
    propeller.assign(HazelcastShards.ownedBy(hazelcast)).await();
    grpc = Endpoints.grpc(vertx, admin.grpcService(config.maxMessageBytes()), pool, config.grpcHost(), config.grpcPort(),
        config.maxMessageBytes()).await();
    http = Endpoints.http(vertx, registry, pool, config.httpHost(), config.httpPort()).await();
    LOG.atInfo().addKeyValue("grpc", config.grpcHost() + ":" + grpc.actualPort())
        .addKeyValue("http", config.httpHost() + ":" + http.actualPort())
        .log("sandbox ready");
  }

  /** Starts everything; blocks until the sandbox serves. Never call from an event loop. */
  public static Sandbox start(StarlingConfig config) {
    return new Sandbox(config);
  }

  public int grpcPort() {
    return grpc.actualPort();
  }

  public int httpPort() {
    return http.actualPort();
  }

  @Override
  public void close() {
    propeller.stop();
    grpc.close().await();
    http.close().await();
    pool.close().await();
    vertx.close().await();
    hazelcast.shutdown();
    if (embedded != null) {
      embedded.close();
    }
  }
}
