package io.starling.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.admin.shard.ShardGroup;
import io.starling.admin.shard.ShardMap;
import io.starling.app.replica.ReplicaGroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sharding.*} keys: what each strategy takes, and what it refuses, in one line. */
class ShardingConfigTest {

  private static final String GROUPS = """
      cluster: {name: prod}
      sharding:
        strategy: project
        groups:
          training: {id: 1, projects: [alpha, beta], members: ['10.0.1.1:5701']}
          rest: {id: 0, projects: ['*'], kubernetes-service-dns: rest.starling.svc}
      """;

  @TempDir Path directory;

  private StarlingConfig config(String yaml, Map<String, String> environment) throws Exception {
    Path file = directory.resolve("starling.yaml");
    Files.writeString(file, yaml);
    return StarlingConfig.load(file, environment);
  }

  @Test
  void theHashStrategyIsOneGroupOfEveryReplicaOnTheClusterKeys() {
    ReplicaGroups groups = StarlingConfig.load(null, Map.of(
        "STARLING_CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702")).groups();

    assertThat(groups.map().strategy()).isEqualTo(ShardMap.Strategy.HASH);
    assertThat(groups.own()).map(ShardGroup::id).contains(0);
    assertThat(groups.clusters()).containsOnlyKeys(0);
    assertThat(groups.clusters().get(0).members())
        .containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
  }

  @Test
  void groupsNameTheirClustersAfterTheClusterNameAndPlaceTheirShardsById() throws Exception {
    ReplicaGroups groups = config(GROUPS, Map.of("STARLING_SHARDING_GROUP", "training"))
        .groups();

    assertThat(groups.own()).map(ShardGroup::name).contains("training");
    assertThat(groups.clusters().get(1).name()).isEqualTo("prod-training");
    assertThat(groups.clusters().get(1).members()).containsExactly("10.0.1.1:5701");
    assertThat(groups.clusters().get(0).name()).isEqualTo("prod-rest");
    assertThat(groups.clusters().get(0).kubernetesServiceDns()).isEqualTo("rest.starling.svc");
    ShardMap map = groups.map();
    ShardGroup training = map.groupOf("alpha", "dev").orElseThrow();
    assertThat(training.name()).isEqualTo("training");
    assertThat(map.shardOf(training, "alpha", "dev", "x")).isBetween(271, 541);
    assertThat(map.groupOf("gamma", "dev")).map(ShardGroup::name).contains("rest");
  }

  @Test
  void anAdminOnlyReplicaNeedsNoGroupOfItsOwn() throws Exception {
    assertThat(config(GROUPS, Map.of()).groups().own()).isEmpty();
  }

  @Test
  void eachMistakeIsOneLineNamingTheKey() throws Exception {
    assertThatThrownBy(() -> StarlingConfig.load(null,
        Map.of("STARLING_SHARDING_STRATEGY", "tenant")).groups())
        .hasMessage("sharding.strategy: unknown value 'tenant'; one of hash, project, domain");
    assertThatThrownBy(() -> StarlingConfig.load(null,
        Map.of("STARLING_SHARDING_GROUP", "rest")).groups())
        .hasMessageStartingWith("sharding.groups and sharding.group are for sharding.strategy"
            + " project or domain");
    assertThatThrownBy(() -> config(GROUPS, Map.of("STARLING_SHARDING_GROUP", "gpu")).groups())
        .hasMessage("sharding.group 'gpu' is not one of sharding.groups: rest, training");
    assertThatThrownBy(() -> config(GROUPS, Map.of("STARLING_CLUSTER_MEMBERS", "10.0.0.1:5701"))
        .groups())
        .hasMessageStartingWith("cluster.members is for the hash strategy");
    assertThatThrownBy(() -> config(GROUPS.replace("id: 1, ", ""), Map.of()).groups())
        .hasMessageStartingWith("sharding.groups.training.id is missing");
    assertThatThrownBy(() -> config(GROUPS.replace("id: 1", "id: 0"), Map.of()).groups())
        .hasMessage("sharding.groups: groups 'rest' and 'training' both have id 0");
    assertThatThrownBy(() -> config(GROUPS.replace("[alpha, beta]", "['*']"), Map.of()).groups())
        .hasMessage("sharding.groups: project '*' is in groups 'rest' and 'training'; give it"
            + " to one");
    assertThatThrownBy(() -> config(GROUPS.replace(", members: ['10.0.1.1:5701']", ""),
        Map.of()).groups())
        .hasMessageStartingWith("sharding.groups.training.members (or"
            + " sharding.groups.training.kubernetes-service-dns) is missing");
    assertThatThrownBy(() -> config(GROUPS.replace("projects: [alpha, beta]",
        "domains: [production]"), Map.of()).groups())
        .hasMessageStartingWith("sharding.groups.training.domains is for sharding.strategy domain");
    assertThatThrownBy(() -> config(GROUPS.replace("training:", "Training:"), Map.of()).groups())
        .hasMessageStartingWith("sharding.groups: 'Training' is not a group name");
  }

  @Test
  void groupKeysComeFromTheFileOnly() {
    assertThatThrownBy(() -> StarlingConfig.load(null,
        Map.of("STARLING_SHARDING_GROUPS_TRAINING_ID", "1")))
        .hasMessage("STARLING_SHARDING_GROUPS_TRAINING_ID: the sharding.groups.* keys come from"
            + " the configuration file only");
  }
}
