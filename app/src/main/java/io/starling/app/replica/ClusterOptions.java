package io.starling.app.replica;

import java.time.Duration;
import java.util.List;

/**
 * Options of a replica's Hazelcast member; each maps onto a {@code cluster.*} configuration key.
 * With neither {@code members} nor a Kubernetes service, the member forms a cluster of its own
 * (the sandbox).
 */
public final class ClusterOptions {

  public static final String DEFAULT_NAME = "starling";
  public static final int DEFAULT_PORT = 5701;
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** How often members tell each other they are alive. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  /**
   * How long a member may stay silent before the others count it gone and take its partitions
   * over: the main part of a handover after a crash (Hazelcast's own default is 60 s).
   */
  public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
  /** How long after a split brain heals before the smaller side merges into the larger. */
  public static final Duration DEFAULT_MERGE_DELAY = Duration.ofSeconds(30);
  /** How often a replica compares the partitions it owns with the shards it runs. */
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(1);
  /** How long a starting replica waits for {@code min-members} to form the cluster. */
  public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(60);

  private String name = DEFAULT_NAME;
  private int port = DEFAULT_PORT;
  private String host = DEFAULT_HOST;
  private List<String> members = List.of();
  private String kubernetesServiceDns = "";
  private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
  private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
  private Duration mergeDelay = DEFAULT_MERGE_DELAY;
  private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
  private int minMembers = 1;
  private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
  private int partitions;

  public String name() {
    return name;
  }

  public ClusterOptions name(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cluster.name must not be empty");
    }
    this.name = name;
    return this;
  }

  public int port() {
    return port;
  }

  public ClusterOptions port(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("cluster.port must be 1-65535, got " + port);
    }
    this.port = port;
    return this;
  }

  /** The address the member binds and is reached at. */
  public String host() {
    return host;
  }

  public ClusterOptions host(String host) {
    this.host = host;
    return this;
  }

  /** The members to join, {@code host:port} each (TCP-IP discovery, bare metal). */
  public List<String> members() {
    return members;
  }

  public ClusterOptions members(List<String> members) {
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      if (colon <= 0 || !member.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("cluster.members: '" + member
            + "' is not host:port");
      }
    }
    this.members = List.copyOf(members);
    return this;
  }

  /** The headless service whose DNS names the members (Kubernetes discovery); empty: none. */
  public String kubernetesServiceDns() {
    return kubernetesServiceDns;
  }

  public ClusterOptions kubernetesServiceDns(String serviceDns) {
    this.kubernetesServiceDns = serviceDns == null ? "" : serviceDns;
    return this;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public ClusterOptions heartbeatInterval(Duration interval) {
    this.heartbeatInterval = wholeSeconds("cluster.heartbeat-interval", interval);
    return this;
  }

  public Duration heartbeatTimeout() {
    return heartbeatTimeout;
  }

  public ClusterOptions heartbeatTimeout(Duration timeout) {
    this.heartbeatTimeout = wholeSeconds("cluster.heartbeat-timeout", timeout);
    return this;
  }

  public Duration mergeDelay() {
    return mergeDelay;
  }

  public ClusterOptions mergeDelay(Duration delay) {
    this.mergeDelay = wholeSeconds("cluster.merge-delay", delay);
    return this;
  }

  public Duration reconcileInterval() {
    return reconcileInterval;
  }

  public ClusterOptions reconcileInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("cluster.reconcile-interval must be positive");
    }
    this.reconcileInterval = interval;
    return this;
  }

  /** Members a starting replica waits for before it serves (1: it starts alone if need be). */
  public int minMembers() {
    return minMembers;
  }

  public ClusterOptions minMembers(int minMembers) {
    if (minMembers < 1) {
      throw new IllegalArgumentException("cluster.min-members must be at least 1, got "
          + minMembers);
    }
    this.minMembers = minMembers;
    return this;
  }

  public Duration joinTimeout() {
    return joinTimeout;
  }

  public ClusterOptions joinTimeout(Duration timeout) {
    this.joinTimeout = wholeSeconds("cluster.join-timeout", timeout);
    return this;
  }

  /** Hazelcast partitions: the number of shards ({@code admin.shards}). */
  public int partitions() {
    return partitions;
  }

  public ClusterOptions partitions(int partitions) {
    this.partitions = partitions;
    return this;
  }

  /** Checks the options against each other; throws naming the keys. */
  public ClusterOptions check() {
    if (heartbeatTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("cluster.heartbeat-timeout (" + heartbeatTimeout
          + ") must be at least twice cluster.heartbeat-interval (" + heartbeatInterval + ")");
    }
    if (!members.isEmpty() && !kubernetesServiceDns.isEmpty()) {
      throw new IllegalArgumentException("cluster.members and cluster.kubernetes-service-dns"
          + " both set: use one way of finding the members");
    }
    return this;
  }

  private static Duration wholeSeconds(String key, Duration value) {
    if (value.toSeconds() < 1 || value.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(key + " must be a whole number of seconds (Hazelcast's"
          + " unit), at least 1s, got " + value);
    }
    return value;
  }
}
