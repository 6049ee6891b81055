package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import io.starling.schema.DatabaseOptions;
import io.starling.schema.EmbeddedDatabase;
import io.starling.schema.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code starling serve} says when its configuration or its surroundings are wrong: one
 * line on stderr that names the cause, exit code 1, and nothing left running.
 */
@Timeout(120)
class ServeErrorsIT {

  @TempDir static Path shared;
  private static EmbeddedDatabase postgres;
  private static DatabaseOptions database;

  @TempDir Path directory;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedDatabase.start(shared.resolve("postgres"), 0, false);
    database = postgres.createDatabase("starling");
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  /** A serve configuration on the test's PostgreSQL, ports of its own, plus {@code more}. */
  private Path config(String more) throws Exception {
    Path file = directory.resolve("replica.yaml");
    Files.writeString(file, """
        grpc: {port: 0}
        http: {port: 0}
        database: {embedded: false, host: %s, port: %d, name: %s, user: %s, password: %s}
        """.formatted(database.host(), database.port(), database.database(), database.user(),
        database.password()) + more);
    return file;
  }

  private static String error(Path config) {
    CommandLineRun run = CommandLineRun.of("serve", "--config", config.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().strip().lines()).as(run.err()).hasSize(1);
    return run.err().strip();
  }

  @Test
  void anUnknownRoleIsNamed() throws Exception {
    assertThat(error(config("roles: [admin, cook]\n")))
        .isEqualTo("error: roles: unknown role 'cook'; the roles are admin, propeller, scheduler");
  }

  @Test
  void anEmbeddedDatabaseIsForTheSandbox() throws Exception {
    Path file = directory.resolve("embedded.yaml");
    Files.writeString(file, "grpc: {port: 0}\n");
    assertThat(error(file)).startsWith("error: serve runs against an external PostgreSQL");
  }

  @Test
  void anUnreachableDatabaseIsNamedWithTheDriversWords() throws Exception {
    int nothing = LoopbackPorts.reserve();
    Path file = directory.resolve("nodb.yaml");
    Files.writeString(file, "grpc: {port: 0}\nhttp: {port: 0}\n"
        + "database: {embedded: false, host: 127.0.0.1, port: " + nothing + "}\n");

    assertThat(error(file)).startsWith("error: cannot migrate PostgreSQL at 127.0.0.1:" + nothing
        + "/starling as postgres: Connection to 127.0.0.1:" + nothing + " refused");
  }

  @Test
  void aClusterThatNeverFormsIsNamedWithItsMembersAndName() throws Exception {
    int own = LoopbackPorts.reserve();
    int absent = LoopbackPorts.reserve();
    assertThat(error(config("""
        cluster: {name: lonely, port: %d, members: ['127.0.0.1:%d', '127.0.0.1:%d'],
                  min-members: 2, join-timeout: 2s}
        """.formatted(own, own, absent))))
        .isEqualTo("error: the cluster did not form: 1 of 2 members (cluster.min-members) after"
            + " 2s; check cluster.members [127.0.0.1:" + own + ", 127.0.0.1:" + absent + "] and"
            + " that every replica has cluster.name 'lonely'");
  }

  @Test
  void aPeerWithAnotherClusterNameIsNoMember() throws Exception {
    int blue = LoopbackPorts.reserve();
    int green = LoopbackPorts.reserve();
    String members = "['127.0.0.1:" + blue + "', '127.0.0.1:" + green + "']";
    try (Replica peer = Replica.start(StarlingConfig.load(config(
        "cluster: {name: blue, port: " + blue + ", members: " + members + "}\n"), Map.of()))) {
      assertThat(peer.grpcPort()).isPositive();
      assertThat(error(config("cluster: {name: green, port: " + green + ", members: " + members
          + ", min-members: 2, join-timeout: 3s}\n")))
          .startsWith("error: the cluster did not form: 1 of 2 members")
          .endsWith("that every replica has cluster.name 'green'");
    }
  }

  @Test
  void aReplicaWhoseSchedulerRoleDiffersFromItsPeersIsRefused() throws Exception {
    int first = LoopbackPorts.reserve();
    int second = LoopbackPorts.reserve();
    String members = "['127.0.0.1:" + first + "', '127.0.0.1:" + second + "']";
    try (Replica peer = Replica.start(StarlingConfig.load(config(
        "roles: [admin, propeller, scheduler]\ncluster: {name: roles, port: " + first
            + ", members: " + members + "}\n"), Map.of()))) {
      assertThat(peer.grpcPort()).isPositive();
      assertThat(error(config("roles: [admin, propeller]\ncluster: {name: roles, port: "
          + second + ", members: " + members + ", min-members: 2}\n")))
          .startsWith("error: the replica at [127.0.0.1]:" + first + " runs its shards as"
              + " [propeller, scheduler] and this one as [propeller]");
    }
  }

  @Test
  void conflictingShardingGroupsAreRefusedBeforeAnythingStarts() throws Exception {
    assertThat(error(config("""
        sharding:
          strategy: project
          group: a
          groups:
            a: {id: 0, projects: [alpha], members: ['127.0.0.1:1']}
            b: {id: 1, projects: [alpha], members: ['127.0.0.1:2']}
        """)))
        .isEqualTo("error: sharding.groups: project 'alpha' is in groups 'a' and 'b'; give it to"
            + " one");
  }

  @Test
  void aPropellerUnderShardingGroupsNeedsItsGroup() throws Exception {
    assertThat(error(config("""
        sharding:
          strategy: domain
          groups:
            all: {id: 0, domains: ['*'], members: ['127.0.0.1:1']}
        """)))
        .isEqualTo("error: sharding.group is missing: a replica with the propeller or"
            + " scheduler role runs the shards of one of sharding.groups");
  }
}
