package io.starling.app.cli;

import io.starling.app.config.StarlingConfig;
import io.starling.app.replica.Replica;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code starling sandbox}: every role in one process on an embedded PostgreSQL. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, description = "Run the admin API and the propeller in one process on an "
    + "embedded PostgreSQL whose data survives restarts (Ctrl-C stops it).")
public final class SandboxCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, description = "YAML configuration file (see docs/operations.md)")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    Replica sandbox = Replica.start(StarlingConfig.load(config, System.getenv()));
    System.out.println("sandbox serving gRPC on port " + sandbox.grpcPort()
        + ", metrics on http://127.0.0.1:" + sandbox.httpPort() + "/metrics (Ctrl-C to stop)");
    StopSignal.await();
    sandbox.close();
    return 0;
  }
}
