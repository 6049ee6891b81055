package io.starling.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code starling watch EXECUTION}: a progress bar until the execution ends. */
@Command(name = "watch", mixinStandardHelpOptions = true, description = "Show a progress bar until the execution ends; exit 0 if it succeeded.")
public final class WatchCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "EXECUTION", description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      return Commands.watchToEnd(client, server.execution(execution), System.out);
    }
  }
}
