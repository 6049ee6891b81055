package io.starling.admin.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.admin.AdminOptions.ShardKey;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardFunctionTest {

  @Test
  void theShardOfAnExecutionNeverChanges() {
    // Fixed values: a change of the function would move running executions between replicas.
    ShardFunction shards = new ShardFunction(ShardKey.EXECUTION, 271);
    assertThat(shards.shardOf("p", "d", "e1")).isEqualTo(234);
    assertThat(shards.shardOf("default", "development", "abc")).isEqualTo(238);
  }

  @Test
  void executionsSpreadOverTheShards() {
    ShardFunction shards = new ShardFunction(ShardKey.EXECUTION, 271);
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      int shard = shards.shardOf("p", "d", "e" + i);
      assertThat(shard).isBetween(0, 270);
      used.add(shard);
    }
    assertThat(used).hasSize(271);
  }

  @Test
  void projectShardingKeepsAProjectOnOneShard() {
    ShardFunction shards = new ShardFunction(ShardKey.PROJECT, 271);
    assertThat(shards.shardOf("p", "d1", "a")).isEqualTo(shards.shardOf("p", "d2", "b"));
  }
}
