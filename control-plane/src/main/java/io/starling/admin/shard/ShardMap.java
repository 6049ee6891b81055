package io.starling.admin.shard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which shard an execution is in, and so which replicas run it. The {@link Strategy#HASH hash}
 * strategy has one group of every replica; the {@link Strategy#PROJECT project} and
 * {@link Strategy#DOMAIN domain} strategies pin projects or domains to groups of replicas, as
 * Flyte's shard strategies do. Within a group the execution's {@link ShardKey} hash picks one of
 * the group's {@code partitions}: the shard is {@code group id × partitions + partition}, so
 * under the hash strategy (group id 0) shards are the partitions.
 *
 * <p>An execution keeps its shard for life: moving a project to another group sends its new
 * executions there and leaves the running ones where they are.
 */
public final class ShardMap {

  /** How executions are pinned to groups of replicas. */
  public enum Strategy { HASH, PROJECT, DOMAIN }

  /** The largest group id; it bounds the shard numbers at 64 × partitions. */
  public static final int MAX_GROUP_ID = 63;
  private static final String NAME = "[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?";

  private final Strategy strategy;
  private final int partitions;
  private final ShardFunction function;
  private final List<ShardGroup> groups;
  private final Map<String, ShardGroup> byEntity = new HashMap<>();
  private final Map<Integer, ShardGroup> byId = new HashMap<>();
  private final ShardGroup wildcard;

  private ShardMap(Strategy strategy, ShardKey key, int partitions, List<ShardGroup> groups) {
    if (partitions < 1) {
      throw new IllegalArgumentException("admin.shards must be at least 1, got " + partitions);
    }
    this.strategy = strategy;
    this.partitions = partitions;
    this.function = new ShardFunction(key, partitions);
    this.groups = List.copyOf(groups);
    ShardGroup any = null;
    Set<String> names = new HashSet<>();
    for (ShardGroup group : groups) {
      check(group);
      if (!names.add(group.name())) {
        throw new IllegalArgumentException("sharding.groups: two groups named '" + group.name()
            + "'");
      }
      ShardGroup sameId = byId.put(group.id(), group);
      if (sameId != null) {
        throw new IllegalArgumentException("sharding.groups: groups '" + sameId.name()
            + "' and '" + group.name() + "' both have id " + group.id());
      }
      for (String entity : group.entities()) {
        ShardGroup other = entity.equals(ShardGroup.WILDCARD) ? any : byEntity.get(entity);
        if (other != null) {
          throw new IllegalArgumentException("sharding.groups: " + entity(entity) + " is in"
              + " groups '" + other.name() + "' and '" + group.name() + "'; give it to one");
        }
        if (entity.equals(ShardGroup.WILDCARD)) {
          any = group;
        } else {
          byEntity.put(entity, group);
        }
      }
    }
    this.wildcard = any;
  }

  /** Every execution in one group of every replica, spread by {@code key}. */
  public static ShardMap hash(ShardKey key, int partitions) {
    return new ShardMap(Strategy.HASH, key, partitions,
        List.of(new ShardGroup("all", 0, Set.of(ShardGroup.WILDCARD))));
  }

  /**
   * Projects or domains pinned to {@code groups}; throws {@link IllegalArgumentException} naming
   * the keys when the groups conflict (an entity in two groups, two {@code *} groups, ids or
   * names twice) or are empty.
   */
  public static ShardMap grouped(Strategy strategy, ShardKey key, int partitions,
      List<ShardGroup> groups) {
    if (strategy == Strategy.HASH) {
      throw new IllegalArgumentException("sharding.groups is for strategy project or domain;"
          + " the hash strategy has one group of every replica");
    }
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("sharding.strategy " + name(strategy)
          + " needs sharding.groups");
    }
    return new ShardMap(strategy, key, partitions, groups);
  }

  private void check(ShardGroup group) {
    if (!group.name().matches(NAME)) {
      throw new IllegalArgumentException("sharding.groups: '" + group.name() + "' is not a"
          + " group name (lower-case letters, digits and dashes, at most 40)");
    }
    if (group.id() < 0 || group.id() > MAX_GROUP_ID) {
      throw new IllegalArgumentException("sharding.groups." + group.name() + ".id must be 0-"
          + MAX_GROUP_ID + ", got " + group.id());
    }
    if (group.entities().isEmpty()) {
      throw new IllegalArgumentException("sharding.groups." + group.name() + " serves no "
          + entities() + "; list them (or '*' for the rest) under sharding.groups."
          + group.name() + "." + entities());
    }
  }

  public Strategy strategy() {
    return strategy;
  }

  /** Hazelcast partitions of each group's cluster. */
  public int partitions() {
    return partitions;
  }

  public List<ShardGroup> groups() {
    return groups;
  }

  /** The group named {@code name}, if there is one. */
  public Optional<ShardGroup> group(String name) {
    return groups.stream().filter(group -> group.name().equals(name)).findFirst();
  }

  /** The group that serves {@code project} in {@code domain}; empty when none does. */
  public Optional<ShardGroup> groupOf(String project, String domain) {
    ShardGroup group = byEntity.get(entityOf(project, domain));
    return Optional.ofNullable(group != null ? group : wildcard);
  }

  /** The project, or under the domain strategy the domain, that picks the group. */
  public String entityOf(String project, String domain) {
    return strategy == Strategy.DOMAIN ? domain : project;
  }

  /** Says that no group serves {@code project} in {@code domain}, and what would. */
  public String unserved(String project, String domain) {
    return unserved(Set.of(entityOf(project, domain)));
  }

  /** Says that no group serves {@code entities} (projects or domains), and what would. */
  public String unserved(Set<String> entities) {
    String kind = strategy == Strategy.DOMAIN ? "domain" : "project";
    String listed = String.join(", ", new TreeSet<>(entities).stream()
        .map(entity -> "'" + entity + "'").toList());
    return (entities.size() == 1 ? kind + " " + listed + " is" : kind + "s " + listed + " are")
        + " served by no replica group (sharding.groups: " + describeGroups() + "); add "
        + (entities.size() == 1 ? "it" : "them") + " to a group, or add a group with "
        + entities() + " ['*']";
  }

  /** The shard of an execution; {@code group} is {@link #groupOf} of its project and domain. */
  public int shardOf(ShardGroup group, String project, String domain, String name) {
    return group.id() * partitions + function.partitionOf(project, domain, name);
  }

  /** The group whose replicas run {@code shard}; empty for a shard of no configured group. */
  public Optional<ShardGroup> groupOfShard(int shard) {
    return Optional.ofNullable(byId.get(Math.floorDiv(shard, partitions)));
  }

  /** The partition of its group's cluster that {@code shard} is. */
  public int partitionOf(int shard) {
    return Math.floorMod(shard, partitions);
  }

  /** The shard that partition {@code partition} of {@code group}'s cluster is. */
  public int shardOfPartition(ShardGroup group, int partition) {
    return group.id() * partitions + partition;
  }

  private String entity(String entity) {
    return (strategy == Strategy.DOMAIN ? "domain '" : "project '") + entity + "'";
  }

  private String entities() {
    return strategy == Strategy.DOMAIN ? "domains" : "projects";
  }

  private String describeGroups() {
    List<String> listed = new ArrayList<>();
    for (ShardGroup group : groups) {
      listed.add(group.name() + ": " + new TreeSet<>(group.entities()));
    }
    return String.join(", ", listed);
  }

  private static String name(Strategy strategy) {
    return strategy.name().toLowerCase(Locale.ROOT);
  }
}
