package io.starling.admin.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.admin.shard.ShardMap.Strategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardMapTest {

  private static final ShardMap BY_PROJECT = ShardMap.grouped(Strategy.PROJECT, ShardKey.EXECUTION,
      271, List.of(
          new ShardGroup("training", 1, Set.of("training", "research")),
          new ShardGroup("rest", 0, Set.of("*"))));

  @Test
  void theShardOfAnExecutionNeverChanges() {
    // Fixed values: a change of the function would move running executions between replicas.
    ShardMap shards = ShardMap.hash(ShardKey.EXECUTION, 271);
    assertThat(shard(shards, "p", "d", "e1")).isEqualTo(234);
    assertThat(shard(shards, "default", "development", "abc")).isEqualTo(238);
  }

  @Test
  void executionsSpreadOverThePartitionsOfTheirGroup() {
    ShardMap shards = ShardMap.hash(ShardKey.EXECUTION, 271);
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      int shard = shard(shards, "p", "d", "e" + i);
      assertThat(shard).isBetween(0, 270);
      used.add(shard);
    }
    assertThat(used).hasSize(271);
  }

  @Test
  void projectShardKeyKeepsAProjectOnOneShard() {
    ShardMap shards = ShardMap.hash(ShardKey.PROJECT, 271);
    assertThat(shard(shards, "p", "d1", "a")).isEqualTo(shard(shards, "p", "d2", "b"));
  }

  @Test
  void aPinnedProjectRunsInItsGroupsShardsAndTheRestInTheWildcardGroup() {
    int training = shard(BY_PROJECT, "research", "dev", "x");
    int other = shard(BY_PROJECT, "marketing", "dev", "x");

    assertThat(training).isBetween(271, 541);
    assertThat(other).isBetween(0, 270);
    assertThat(BY_PROJECT.groupOfShard(training)).map(ShardGroup::name).contains("training");
    assertThat(BY_PROJECT.partitionOf(training)).isEqualTo(training - 271);
    assertThat(BY_PROJECT.shardOfPartition(BY_PROJECT.group("training").orElseThrow(), 5))
        .isEqualTo(276);
    assertThat(BY_PROJECT.groupOfShard(64 * 271)).isEmpty();
  }

  @Test
  void theDomainStrategyPinsDomains() {
    ShardMap shards = ShardMap.grouped(Strategy.DOMAIN, ShardKey.EXECUTION, 271,
        List.of(new ShardGroup("prod", 2, Set.of("production"))));

    assertThat(shards.groupOf("any", "production")).map(ShardGroup::name).contains("prod");
    assertThat(shards.groupOf("any", "development")).isEmpty();
    assertThat(shards.unserved("any", "development")).isEqualTo("domain 'development' is served"
        + " by no replica group (sharding.groups: prod: [production]); add it to a group, or"
        + " add a group with domains ['*']");
  }

  @Test
  void conflictingGroupsAreRefusedNamingTheConflict() {
    assertThatThrownBy(() -> grouped(new ShardGroup("a", 0, Set.of("x")),
        new ShardGroup("b", 1, Set.of("x", "y"))))
        .hasMessage("sharding.groups: project 'x' is in groups 'a' and 'b'; give it to one");
    assertThatThrownBy(() -> grouped(new ShardGroup("a", 0, Set.of("*")),
        new ShardGroup("b", 1, Set.of("*"))))
        .hasMessage("sharding.groups: project '*' is in groups 'a' and 'b'; give it to one");
    assertThatThrownBy(() -> grouped(new ShardGroup("a", 3, Set.of("x")),
        new ShardGroup("b", 3, Set.of("y"))))
        .hasMessage("sharding.groups: groups 'a' and 'b' both have id 3");
    assertThatThrownBy(() -> grouped(new ShardGroup("a", 64, Set.of("x"))))
        .hasMessage("sharding.groups.a.id must be 0-63, got 64");
    assertThatThrownBy(() -> grouped(new ShardGroup("a", 0, Set.of())))
        .hasMessageStartingWith("sharding.groups.a serves no projects");
    assertThatThrownBy(() -> grouped(new ShardGroup("Big_Name", 0, Set.of("x"))))
        .hasMessageStartingWith("sharding.groups: 'Big_Name' is not a group name");
    assertThatThrownBy(() -> grouped())
        .hasMessage("sharding.strategy project needs sharding.groups");
    assertThatThrownBy(() -> ShardMap.grouped(Strategy.HASH, ShardKey.EXECUTION, 271,
        List.of(new ShardGroup("a", 0, Set.of("x")))))
        .hasMessageStartingWith("sharding.groups is for strategy project or domain");
  }

  @Test
  void unservedProjectsAreNamedWithWhatWouldServeThem() {
    ShardMap shards = grouped(new ShardGroup("a", 0, Set.of("x")));

    assertThat(shards.groupOf("y", "d")).isEmpty();
    assertThat(shards.unserved(Set.of("z", "y"))).isEqualTo("projects 'y', 'z' are served by"
        + " no replica group (sharding.groups: a: [x]); add them to a group, or add a group"
        + " with projects ['*']");
  }

  private static ShardMap grouped(ShardGroup... groups) {
    return ShardMap.grouped(Strategy.PROJECT, ShardKey.EXECUTION, 271, List.of(groups));
  }

  private static int shard(ShardMap shards, String project, String domain, String name) {
    return shards.shardOf(shards.groupOf(project, domain).orElseThrow(), project, domain, name);
  }
}
