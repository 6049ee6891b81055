package io.starling.app.config;

import io.starling.admin.AdminOptions;
import io.starling.admin.shard.ShardGroup;
import io.starling.admin.shard.ShardKey;
import io.starling.admin.shard.ShardMap;
import io.starling.app.replica.ClusterOptions;
import io.starling.app.replica.ReplicaGroups;
import io.starling.app.replica.Role;
import io.starling.auth.AuthOptions;
import io.starling.propeller.PropellerOptions;
import io.starling.propeller.plugin.process.ProcessOptions;
import io.starling.propeller.plugin.worker.WorkerOptions;
import io.starling.scheduler.SchedulerOptions;
import io.starling.schema.DatabaseOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every configuration key of a Starling process and the options it maps onto. The keys, their
 * defaults and their meaning are listed in {@code docs/operations.md}.
 */
public final class StarlingConfig {

  public static final int DEFAULT_GRPC_PORT = 8089;
  public static final int DEFAULT_HTTP_PORT = 8088;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final String DEFAULT_DATA_DIR = ".starling/postgres";
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  static final Set<String> KEYS = Set.of(
      "grpc.host", "grpc.port", "grpc.max-message-bytes",
      "http.host", "http.port",
      "database.embedded", "database.data-dir", "database.durable", "database.host",
      "database.idle-in-transaction-timeout",
      "database.port", "database.name", "database.user", "database.password",
      "database.pool-size",
      "admin.max-parallelism", "admin.shards", "admin.shard-key", "admin.watch-poll-interval",
      "admin.max-nesting", "admin.max-page-size", "admin.max-input-bytes",
      "admin.max-workflow-nodes", "admin.max-executions-per-second",
      "propeller.workers", "propeller.scan-interval", "propeller.retry-delay",
      "propeller.max-batch-rows", "propeller.max-concurrent-writes", "propeller.replica-id",
      "propeller.reevaluation-interval", "propeller.max-rounds-per-second",
      "propeller.lease-renew-interval", "propeller.lease-timeout", "propeller.max-map-items",
      "plugins.process.max-concurrent", "plugins.launch-plan.poll-interval",
      "plugins.worker.lease-timeout", "plugins.worker.claim-interval",
      "plugins.worker.poll-interval", "plugins.worker.max-batch",
      "scheduler.tick", "scheduler.wheel-buckets", "scheduler.max-concurrent-fires",
      "scheduler.snapshot-interval", "scheduler.poll-interval", "scheduler.retry-delay",
      "scheduler.lease-timeout", "scheduler.catch-up-grace",
      "roles",
      "auth.mode", "auth.bootstrap-key", "auth.cache-ttl",
      "tls.cert", "tls.key", "tls.client-ca",
      "cluster.name", "cluster.port", "cluster.host", "cluster.members",
      "cluster.kubernetes-service-dns", "cluster.heartbeat-interval", "cluster.heartbeat-timeout",
      "cluster.merge-delay", "cluster.reconcile-interval", "cluster.min-members",
      "cluster.join-timeout",
      "sharding.strategy", "sharding.group", "sharding.groups.*.id", "sharding.groups.*.projects",
      "sharding.groups.*.domains", "sharding.groups.*.members",
      "sharding.groups.*.kubernetes-service-dns");

  private final Settings settings;

  private StarlingConfig(Settings settings) {
    this.settings = settings;
  }

  /** Reads {@code file} (may be null) with environment overrides. */
  public static StarlingConfig load(Path file, Map<String, String> environment) {
    return new StarlingConfig(Settings.load(file, environment, KEYS));
  }

  public String grpcHost() {
    return settings.string("grpc.host", DEFAULT_HOST);
  }

  public int grpcPort() {
    return settings.integer("grpc.port", DEFAULT_GRPC_PORT);
  }

  public int maxMessageBytes() {
    return settings.integer("grpc.max-message-bytes", DEFAULT_MAX_MESSAGE_BYTES);
  }

  public String httpHost() {
    return settings.string("http.host", DEFAULT_HOST);
  }

  public int httpPort() {
    return settings.integer("http.port", DEFAULT_HTTP_PORT);
  }

  /** Whether this process starts its own PostgreSQL (sandbox) instead of using database.host. */
  public boolean embeddedDatabase() {
    return settings.bool("database.embedded", true);
  }

  public Path dataDirectory() {
    return Path.of(settings.string("database.data-dir", DEFAULT_DATA_DIR));
  }

  /**
   * Whether commits wait for the WAL to reach the disk (the embedded database's fsync and
   * synchronous_commit).
   */
  public boolean durableCommits() {
    return settings.bool("database.durable", true);
  }

  /** The external database; for the embedded one only name, user, password and pool size count. */
  public DatabaseOptions database() {
    return new DatabaseOptions()
        .host(settings.string("database.host", DatabaseOptions.DEFAULT_HOST))
        .port(settings.integer("database.port", DatabaseOptions.DEFAULT_PORT))
        .database(settings.string("database.name", DatabaseOptions.DEFAULT_DATABASE))
        .user(settings.string("database.user", DatabaseOptions.DEFAULT_USER))
        .password(settings.string("database.password", DatabaseOptions.DEFAULT_PASSWORD))
        .poolSize(settings.integer("database.pool-size", DatabaseOptions.DEFAULT_POOL_SIZE))
        .idleInTransactionTimeout(settings.duration("database.idle-in-transaction-timeout",
            DatabaseOptions.DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT));
  }

  public AdminOptions admin() {
    return new AdminOptions()
        .maxParallelism(settings.integer("admin.max-parallelism", AdminOptions.DEFAULT_MAX_PARALLELISM))
        .shards(shardMap())
        .watchPollInterval(settings.duration(
            "admin.watch-poll-interval", AdminOptions.DEFAULT_WATCH_POLL_INTERVAL))
        .maxNesting(settings.integer("admin.max-nesting", AdminOptions.DEFAULT_MAX_NESTING))
        .maxPageSize(settings.integer("admin.max-page-size", AdminOptions.DEFAULT_MAX_PAGE_SIZE))
        .maxInputBytes(settings.integer("admin.max-input-bytes",
            AdminOptions.DEFAULT_MAX_INPUT_BYTES))
        .maxWorkflowNodes(settings.integer("admin.max-workflow-nodes",
            AdminOptions.DEFAULT_MAX_WORKFLOW_NODES))
        .maxExecutionsPerSecond(settings.integer("admin.max-executions-per-second",
            AdminOptions.DEFAULT_MAX_EXECUTIONS_PER_SECOND));
  }

  /** Shards of each replica group; also the partition count of its Hazelcast cluster. */
  public int shards() {
    return settings.integer("admin.shards", AdminOptions.DEFAULT_SHARD_COUNT);
  }

  /** The sharding strategy and its groups ({@code sharding.*}), checked against each other. */
  public ShardMap shardMap() {
    ShardKey key = enumValue(ShardKey.class, "admin.shard-key", AdminOptions.DEFAULT_SHARD_KEY);
    ShardMap.Strategy strategy = enumValue(ShardMap.Strategy.class, "sharding.strategy",
        ShardMap.Strategy.HASH);
    Set<String> names = settings.names("sharding.groups");
    if (strategy == ShardMap.Strategy.HASH) {
      if (!names.isEmpty() || settings.string("sharding.group", null) != null) {
        throw new IllegalArgumentException("sharding.groups and sharding.group are for"
            + " sharding.strategy project or domain; the hash strategy has one group of every"
            + " replica");
      }
      return ShardMap.hash(key, shards());
    }
    String entities = strategy == ShardMap.Strategy.PROJECT ? "projects" : "domains";
    String other = strategy == ShardMap.Strategy.PROJECT ? "domains" : "projects";
    List<ShardGroup> groups = new ArrayList<>();
    for (String name : names) {
      String prefix = "sharding.groups." + name + ".";
      int id = settings.integer(prefix + "id", -1);
      if (id == -1) {
        throw new IllegalArgumentException(prefix + "id is missing: give each group an id"
            + " that never changes (it places the group's shards)");
      }
      if (!settings.list(prefix + other, List.of()).isEmpty()) {
        throw new IllegalArgumentException(prefix + other + " is for sharding.strategy "
            + other.substring(0, other.length() - 1) + "; this strategy pins " + entities);
      }
      groups.add(new ShardGroup(name, id, Set.copyOf(settings.list(prefix + entities, List.of()))));
    }
    return ShardMap.grouped(strategy, key, shards(), groups);
  }

  /**
   * The replica groups: the shard map, the group this replica runs ({@code sharding.group}),
   * and how each group's cluster is reached. Under the hash strategy the one cluster is
   * {@code cluster.*}; under the others each group's is {@code cluster.name} plus the group's
   * name, found by the group's {@code members} or {@code kubernetes-service-dns}.
   */
  public ReplicaGroups groups() {
    ShardMap map = shardMap();
    if (map.strategy() == ShardMap.Strategy.HASH) {
      return new ReplicaGroups(map, Optional.of(map.groups().get(0)), Map.of(0, cluster()));
    }
    for (String key : List.of("cluster.members", "cluster.kubernetes-service-dns")) {
      if (!settings.string(key, "").isEmpty()) {
        throw new IllegalArgumentException(key + " is for the hash strategy; under sharding"
            + " groups each group's members are listed under sharding.groups.<group>");
      }
    }
    Map<Integer, ClusterOptions> clusters = new HashMap<>();
    for (ShardGroup group : map.groups()) {
      String prefix = "sharding.groups." + group.name() + ".";
      List<String> members = settings.list(prefix + "members", List.of());
      String dns = settings.string(prefix + "kubernetes-service-dns", "");
      if (members.isEmpty() && dns.isEmpty()) {
        throw new IllegalArgumentException(prefix + "members (or " + prefix
            + "kubernetes-service-dns) is missing: the other groups' admins reach the group there");
      }
      clusters.put(group.id(), cluster(settings.string("cluster.name", ClusterOptions.DEFAULT_NAME)
          + "-" + group.name(), members, dns));
    }
    String own = settings.string("sharding.group", null);
    Optional<ShardGroup> group = Optional.ofNullable(own).map(name -> map.group(name)
        .orElseThrow(() -> new IllegalArgumentException("sharding.group '" + name
            + "' is not one of sharding.groups: " + String.join(", ", settings.names(
                "sharding.groups")))));
    return new ReplicaGroups(map, group, clusters);
  }

  private <E extends Enum<E>> E enumValue(Class<E> type, String key, E fallback) {
    String value = settings.string(key, fallback.name());
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": unknown value '" + value + "'; one of "
          + String.join(", ", Arrays.stream(type.getEnumConstants())
              .map(constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
              .toList()));
    }
  }

  public PropellerOptions propeller() {
    PropellerOptions options = new PropellerOptions()
        .workers(settings.integer("propeller.workers", PropellerOptions.DEFAULT_WORKERS))
        .scanInterval(settings.duration("propeller.scan-interval", PropellerOptions.DEFAULT_SCAN_INTERVAL))
        .retryDelay(settings.duration("propeller.retry-delay", PropellerOptions.DEFAULT_RETRY_DELAY))
        .maxBatchRows(settings.integer("propeller.max-batch-rows", PropellerOptions.DEFAULT_MAX_BATCH_ROWS))
        .maxConcurrentWrites(settings.integer(
            "propeller.max-concurrent-writes", PropellerOptions.DEFAULT_MAX_CONCURRENT_WRITES))
        .reevaluationInterval(settings.duration("propeller.reevaluation-interval",
            PropellerOptions.DEFAULT_REEVALUATION_INTERVAL))
        .maxRoundsPerSecond(settings.integer("propeller.max-rounds-per-second",
            PropellerOptions.DEFAULT_MAX_ROUNDS_PER_SECOND))
        .leaseRenewInterval(settings.duration("propeller.lease-renew-interval",
            PropellerOptions.DEFAULT_LEASE_RENEW_INTERVAL))
        .leaseTimeout(settings.duration("propeller.lease-timeout",
            PropellerOptions.DEFAULT_LEASE_TIMEOUT))
        .maxMapItems(settings.integer("propeller.max-map-items",
            PropellerOptions.DEFAULT_MAX_MAP_ITEMS));
    String replica = settings.string("propeller.replica-id", null);
    return (replica == null ? options : options.replicaId(replica)).check();
  }

  /** The scheduler's options; it runs under the propeller's replica id. */
  public SchedulerOptions scheduler() {
    return new SchedulerOptions()
        .tick(settings.duration("scheduler.tick", SchedulerOptions.DEFAULT_TICK))
        .wheelBuckets(settings.integer("scheduler.wheel-buckets",
            SchedulerOptions.DEFAULT_WHEEL_BUCKETS))
        .maxConcurrentFires(settings.integer("scheduler.max-concurrent-fires",
            SchedulerOptions.DEFAULT_MAX_CONCURRENT_FIRES))
        .snapshotInterval(settings.duration("scheduler.snapshot-interval",
            SchedulerOptions.DEFAULT_SNAPSHOT_INTERVAL))
        .pollInterval(settings.duration("scheduler.poll-interval",
            SchedulerOptions.DEFAULT_POLL_INTERVAL))
        .retryDelay(settings.duration("scheduler.retry-delay",
            SchedulerOptions.DEFAULT_RETRY_DELAY))
        .leaseTimeout(settings.duration("scheduler.lease-timeout",
            SchedulerOptions.DEFAULT_LEASE_TIMEOUT))
        .catchUpGrace(settings.duration("scheduler.catch-up-grace",
            SchedulerOptions.DEFAULT_CATCH_UP_GRACE))
        .replicaId(propeller().replicaId())
        .check();
  }

  public ProcessOptions process() {
    return new ProcessOptions().maxConcurrent(
        settings.integer("plugins.process.max-concurrent", ProcessOptions.DEFAULT_MAX_CONCURRENT));
  }

  /**
   * How often a launch-plan node checks on a child execution that another replica runs (one
   * that ends on this replica is noticed at once).
   */
  public Duration launchPlanPollInterval() {
    return settings.duration("plugins.launch-plan.poll-interval", Duration.ofSeconds(5));
  }

  public WorkerOptions worker() {
    WorkerOptions defaults = WorkerOptions.defaults();
    return new WorkerOptions(
        settings.duration("plugins.worker.lease-timeout", defaults.leaseTimeout()),
        settings.duration("plugins.worker.claim-interval", defaults.claimInterval()),
        settings.duration("plugins.worker.poll-interval", defaults.pollInterval()),
        settings.integer("plugins.worker.max-batch", defaults.maxBatch()));
  }

  /**
   * How calls are authenticated: {@code auth.mode} is open by default with the embedded
   * database (the sandbox) and api-keys with an external one ({@code serve}).
   */
  public AuthOptions auth() {
    String mode = settings.string("auth.mode", embeddedDatabase() ? "open" : "api-keys");
    String bootstrap = settings.string("auth.bootstrap-key", "");
    return new AuthOptions(AuthOptions.apiKeys(mode),
        bootstrap.isBlank() ? Optional.empty() : Optional.of(AuthOptions.bootstrapKey(bootstrap)),
        settings.duration("auth.cache-ttl", AuthOptions.DEFAULT_CACHE_TTL));
  }

  /** TLS of the gRPC and HTTP ports; plain text unless {@code tls.cert} is set. */
  public TlsOptions tls() {
    return new TlsOptions(path("tls.cert"), path("tls.key"), path("tls.client-ca"));
  }

  private Path path(String key) {
    String value = settings.string(key, "");
    return value.isBlank() ? null : Path.of(value);
  }

  /** What this process does; every role by default. */
  public Set<Role> roles() {
    return Role.parse(settings.list("roles", List.of("admin", "propeller", "scheduler")));
  }

  /**
   * The Hazelcast member of the hash strategy: how it finds its peers and how soon it counts
   * one gone.
   */
  public ClusterOptions cluster() {
    return cluster(settings.string("cluster.name", ClusterOptions.DEFAULT_NAME),
        settings.list("cluster.members", List.of()),
        settings.string("cluster.kubernetes-service-dns", ""));
  }

  private ClusterOptions cluster(String name, List<String> members, String kubernetesServiceDns) {
    return new ClusterOptions()
        .name(name)
        .port(settings.integer("cluster.port", ClusterOptions.DEFAULT_PORT))
        .host(settings.string("cluster.host", ClusterOptions.DEFAULT_HOST))
        .members(members)
        .kubernetesServiceDns(kubernetesServiceDns)
        .heartbeatInterval(settings.duration("cluster.heartbeat-interval",
            ClusterOptions.DEFAULT_HEARTBEAT_INTERVAL))
        .heartbeatTimeout(settings.duration("cluster.heartbeat-timeout",
            ClusterOptions.DEFAULT_HEARTBEAT_TIMEOUT))
        .mergeDelay(settings.duration("cluster.merge-delay", ClusterOptions.DEFAULT_MERGE_DELAY))
        .reconcileInterval(settings.duration("cluster.reconcile-interval",
            ClusterOptions.DEFAULT_RECONCILE_INTERVAL))
        .minMembers(settings.integer("cluster.min-members", 1))
        .joinTimeout(settings.duration("cluster.join-timeout", ClusterOptions.DEFAULT_JOIN_TIMEOUT))
        .partitions(shards())
        .check();
  }
}
