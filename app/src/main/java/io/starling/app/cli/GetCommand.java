package io.starling.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code starling get EXECUTION}: shows one execution. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show an execution: phase, times, error, inputs and outputs.")
public final class GetCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "EXECUTION", description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      Commands.printExecution(client, ExecutionWatcher.get(client, server.execution(execution)),
          System.out);
    }
    return 0;
  }
}
