package io.starling.app.replica;

import com.hazelcast.core.HazelcastInstance;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.starling.admin.Admin;
import io.starling.admin.api.ApiKeyEndpoint;
import io.starling.admin.shard.ShardGroup;
import io.starling.app.cluster.ClusterStatus;
import io.starling.app.cluster.LocalReplica;
import io.starling.app.config.StarlingConfig;
import io.starling.app.config.TlsOptions;
import io.starling.auth.ApiKeyStore;
import io.starling.auth.Authenticator;
import io.starling.propeller.Propeller;
import io.starling.propeller.PropellerOptions;
import io.starling.propeller.plugin.TaskPlugins;
import io.starling.propeller.plugin.builtin.EchoPlugin;
import io.starling.propeller.plugin.builtin.FailPlugin;
import io.starling.propeller.plugin.builtin.NoopPlugin;
import io.starling.propeller.plugin.builtin.SleepPlugin;
import io.starling.propeller.plugin.launchplan.LaunchPlanPlugin;
import io.starling.propeller.plugin.process.ProcessPlugin;
import io.starling.propeller.plugin.worker.WorkerEndpoint;
import io.starling.propeller.plugin.worker.WorkerPlugin;
import io.starling.propeller.plugin.worker.WorkerSessions;
import io.starling.propeller.plugin.worker.WorkerTaskStore;
import io.starling.propeller.store.PropellerStore;
import io.starling.scheduler.Scheduler;
import io.starling.schema.Database;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.EmbeddedDatabase;
import io.starling.time.TimeSource;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Starling process with the roles it is given: the admin API and the worker protocol
 * (gRPC), the propeller and the scheduler,
 * on a PostgreSQL that is external ({@code starling serve}) or embedded ({@code starling
 * sandbox}, whose data survives restarts), with a Hazelcast member whose partition table decides
 * which shards the propeller runs. Replicas started against the same database and cluster share
 * the work: each runs the shards its member owns, and any replica's admin takes every call.
 *
 * <p>Start-up either finishes or undoes what it started and fails with the reason: never a
 * half-started replica. {@link #close} is the graceful stop: the admin stops taking calls, the
 * propeller lets its shards go (their leases released, so new owners need not wait), then the
 * Hazelcast member leaves, handing its partitions over first.
 */
public final class Replica implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Replica.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private HttpServer grpc;
  private HttpServer http;
  /** Whether the replica serves: its start-up done, its stop not begun (readiness). */
  private volatile boolean serving;

  private Replica() {}

  private void boot(StarlingConfig config, Set<Role> roles) {
    TlsOptions tls = config.tls();
    Set<Role> shardRoles = Role.shardRoles(roles);
    ReplicaGroups groups = config.groups();
    if (!shardRoles.isEmpty() && groups.own().isEmpty()) {
      throw new IllegalArgumentException("sharding.group is missing: a replica with the"
          + " propeller or scheduler role runs the shards of one of sharding.groups");
    }
    DatabaseOptions database = config.database();
    if (config.embeddedDatabase()) {
      EmbeddedDatabase embedded = EmbeddedDatabase.start(config.dataDirectory(), 0,
          config.durableCommits());
      started.push(embedded);
      database = embedded.createDatabase(database.database()).poolSize(database.poolSize())
          .idleInTransactionTimeout(database.idleInTransactionTimeout());
    }
    Database.migrate(database);
    Map<Integer, HazelcastInstance> clusters = new HashMap<>();
    HazelcastInstance member = groups.ownCluster()
        .map(options -> ClusterMember.start(options, shardRoles)).orElse(null);
    if (member != null) {
      started.push(member.getLifecycleService()::shutdown);
      clusters.put(groups.own().orElseThrow().id(), member);
    }
    groups.clusters().forEach((group, options) -> {
      if (!clusters.containsKey(group)) {
        HazelcastInstance client = ClusterClient.start(options);
        started.push(client.getLifecycleService()::shutdown);
        clusters.put(group, client);
      }
    });
    Vertx vertx = Vertx.vertx();
    started.push(() -> vertx.close().await());
    Pool pool = Database.pool(vertx, database);
    started.push(() -> pool.close().await());
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    TimeSource time = TimeSource.vertx(vertx);
    ExecutionRouter router = new ExecutionRouter(groups.map(), clusters, time, registry);
    if (member != null) {
      member.getUserContext().put(ExecutionRouter.CONTEXT_KEY, router);
    }
    Admin admin = Admin.create(vertx, pool, config.admin(), router, time.clock(), registry);
    admin.checkServed().await();
    int placed = admin.placeSchedules().await();
    if (placed > 0) {
      LOG.atInfo().addKeyValue("launch_plans", placed)
          .log("schedules of launch plans activated before schedules fired now fire");
    }
    http = Endpoints.http(vertx, registry, pool, config.httpHost(), config.httpPort(), tls,
        () -> serving).await();
    started.push(() -> http.close().await());
    WorkerTaskStore workerTasks = new WorkerTaskStore(pool);
    WorkerSessions workers = null;
    if (roles.contains(Role.ADMIN)) {
      workers = new WorkerSessions(time, workerTasks, config.worker(), router, registry);
      workers.start();
      started.push(workers::stop);
    }
    List<ShardRunner> runners = new ArrayList<>();
    if (shardRoles.contains(Role.PROPELLER)) {
      Runnable queued = workers == null ? () -> { } : workers::wake;
      runners.add(propeller(config, pool, time, admin, router, registry,
          new WorkerPlugin(time, workerTasks, config.worker(), queued, registry)));
    }
    if (shardRoles.contains(Role.SCHEDULER)) {
      if (!shardRoles.contains(Role.PROPELLER)) {
        LOG.warn("this replica fires schedules but runs no executions (no propeller role), nor"
            + " does any replica of its group: scheduled executions stay QUEUED");
      }
      runners.add(scheduler(config, vertx, pool, time, admin, registry));
    }
    if (!runners.isEmpty()) {
      PartitionWatcher watcher = new PartitionWatcher(member, groups.map(),
          groups.own().orElseThrow(), runners, time,
          groups.ownCluster().orElseThrow().reconcileInterval(), registry);
      started.push(watcher::stop);
      watcher.start().await();
    }
    List<String> roleNames = roles.stream().map(role -> role.name().toLowerCase(Locale.ROOT))
        .toList();
    LocalReplica local = new LocalReplica(config.propeller().replicaId(), roleNames, time.now(),
        shardRoles.isEmpty() ? "" : groups.own().map(ShardGroup::name).orElse(""), workers);
    ClusterStatus cluster = new ClusterStatus(pool, local, groups.map(), time);
    if (roles.contains(Role.ADMIN)) {
      ApiKeyStore keys = new ApiKeyStore(pool);
      Authenticator auth = Security.authenticator(config.auth(), keys, time,
          config.grpcHost() + ":" + config.grpcPort(), registry);
      grpc = Endpoints.grpc(vertx, admin.grpcService(auth, config.maxMessageBytes()),
          List.of(new WorkerEndpoint(workers, config.worker(), auth),
              new ApiKeyEndpoint(keys, auth, config.maxMessageBytes()),
              cluster.endpoint(auth, config.maxMessageBytes())), pool,
          config.grpcHost(), config.grpcPort(), config.maxMessageBytes(), tls).await();
      started.push(() -> grpc.close().await());
      local.grpcAddress(advertised(config.grpcHost()) + ":" + grpc.actualPort());
    }
    cluster.start().await();
    started.push(() -> cluster.stop().await());
    serving = true;
    LOG.atInfo()
        .addKeyValue("roles", String.join(",", roleNames))
        .addKeyValue("grpc", grpc == null ? "-" : config.grpcHost() + ":" + grpc.actualPort())
        .addKeyValue("http", config.httpHost() + ":" + http.actualPort())
        .addKeyValue("group", groups.own().map(ShardGroup::name).orElse("-"))
        .addKeyValue("members", member == null ? 0 : member.getCluster().getMembers().size())
        .log("replica ready");
  }

  /** The host others reach a port bound to {@code host} at: this host's name for a wildcard. */
  private static String advertised(String host) {
    if (!host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return host;
    }
  }

  /** The propeller: runs the executions of the shards the member's partitions give it. */
  private ShardRunner propeller(StarlingConfig config, Pool pool, TimeSource time, Admin admin,
      ExecutionRouter router, PrometheusRegistry registry, WorkerPlugin workers) {
    LaunchPlanPlugin launchPlans = new LaunchPlanPlugin(time,
        new AdminChildExecutions(admin.executions()), config.launchPlanPollInterval());
    PropellerOptions options = config.propeller();
    Propeller propeller = Propeller.create(
        PropellerStore.postgres(pool, options.maxBatchRows(), options.maxConcurrentWrites(),
            options.graphCacheSize(), time, registry),
        options,
        TaskPlugins.of(new NoopPlugin(), new EchoPlugin(), new FailPlugin(),
            new SleepPlugin(time), new ProcessPlugin(config.process()), launchPlans, workers),
        time, registry);
    propeller.addObserver(launchPlans);
    router.bind(propeller, workers);
    propeller.start();
    started.push(propeller::stop);
    return ShardRunner.of(propeller::assign, propeller::unassign);
  }

  /** The scheduler: fires the schedules of the same shards. */
  private ShardRunner scheduler(StarlingConfig config, Vertx vertx, Pool pool, TimeSource time,
      Admin admin, PrometheusRegistry registry) {
    Scheduler scheduler = new Scheduler(vertx, pool, new AdminLauncher(admin.executions()),
        config.scheduler(), time, registry);
    scheduler.start();
    started.push(() -> scheduler.stop().await());
    return ShardRunner.of(scheduler::assign, scheduler::unassign);
  }

  /**
   * Starts a replica with {@code roles}; blocks until it serves. Throws, having stopped what it
   * started, when it cannot. Never call from an event loop.
   */
  public static Replica start(StarlingConfig config, Set<Role> roles) {
    Replica replica = new Replica();
    try {
      replica.boot(config, roles);
    } catch (RuntimeException e) {
      try {
        replica.close();
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    return replica;
  }

  /** A replica with every role, as the sandbox and the tests run it. */
  public static Replica start(StarlingConfig config) {
    return start(config, config.roles());
  }

  /** The admin's gRPC port; -1 on a replica without the admin role. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.actualPort();
  }

  public int httpPort() {
    return http.actualPort();
  }

  @Override
  public void close() {
    serving = false;
    RuntimeException failure = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("stopping the replica: " + e.getMessage(), e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
