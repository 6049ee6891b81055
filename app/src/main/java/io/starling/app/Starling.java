package io.starling.app;

import io.starling.app.cli.ApiKeyCommand;
import io.starling.app.cli.ClusterCommand;
import io.starling.app.cli.CompletionCommand;
import io.starling.app.cli.DemoCommand;
import io.starling.app.cli.GetCommand;
import io.starling.app.cli.LaunchCommand;
import io.starling.app.cli.LaunchPlanCommand;
import io.starling.app.cli.ListCommand;
import io.starling.app.cli.NodesCommand;
import io.starling.app.cli.RecoverCommand;
import io.starling.app.cli.RegisterCommand;
import io.starling.app.cli.RpcException;
import io.starling.app.cli.SandboxCommand;
import io.starling.app.cli.ScheduleCommand;
import io.starling.app.cli.ServeCommand;
import io.starling.app.cli.TerminateCommand;
import io.starling.app.cli.WatchCommand;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code starling} executable: the sandbox, the demo and the client commands. */
@Command(name = "starling", mixinStandardHelpOptions = true, version = "starling 0.1.0",
    description = "Workflow orchestration: run a sandbox, register workflows, launch, watch and recover executions.",
    subcommands = {SandboxCommand.class, ServeCommand.class, DemoCommand.class, RegisterCommand.class,
        LaunchCommand.class, GetCommand.class, ListCommand.class, WatchCommand.class,
        TerminateCommand.class, RecoverCommand.class, NodesCommand.class, ScheduleCommand.class,
        LaunchPlanCommand.class, ApiKeyCommand.class, ClusterCommand.class,
        CompletionCommand.class})
public final class Starling {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line; errors are one line on stderr and a non-zero exit code. */
  public static int run(String... args) {
    CommandLine line = new CommandLine(new Starling())
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + message(error));
          return 1;
        });
    // A help request makes picocli overlook what it does not know ("starling nonsense
    // --help" would print the top-level help and succeed): refuse that first.
    line.setExecutionStrategy(parsed -> {
      CommandLine.ParseResult last = parsed;
      while (last.hasSubcommand()) {
        last = last.subcommand();
      }
      if (!last.unmatched().isEmpty()) {
        String name = last.commandSpec().qualifiedName();
        last.commandSpec().commandLine().getErr().println("error: " + name + ": unknown "
            + (last.commandSpec().subcommands().isEmpty() ? "argument" : "command") + " '"
            + last.unmatched().get(0) + "' (" + name + " --help lists what it takes)");
        return 2;
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return line.execute(args);
  }

  private static String message(Exception error) {
    if (error instanceof RpcException || error instanceof IllegalArgumentException
        || error instanceof IllegalStateException || error instanceof UncheckedIOException
        || error instanceof java.io.IOException) {
      return error.getMessage();
    }
    return error.toString();
  }
}
