package io.starling.app.cli;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code starling serve --config FILE}: one replica of a cluster, with the roles its
 * configuration gives, on an external PostgreSQL. Replicas that share the database and the
 * cluster share the work; SIGTERM stops one gracefully (its shards handed over first).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run one replica of a cluster (roles, external PostgreSQL"
    + " and Hazelcast peers from the configuration); SIGTERM stops it gracefully.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true,
      description = "YAML configuration file (see docs/operations.md)")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    StarlingConfig settings = StarlingConfig.load(config, System.getenv());
    if (settings.embeddedDatabase()) {
      throw new IllegalArgumentException("serve runs against an external PostgreSQL: set"
          + " database.embedded: false and database.host (the sandbox embeds one)");
    }
    Replica replica = Replica.start(settings, settings.roles());
    System.out.println("replica serving gRPC on port " + replica.grpcPort() + ", metrics on"
        + " port " + replica.httpPort());
    StopSignal.await();
    replica.close();
    return 0;
  }
}
