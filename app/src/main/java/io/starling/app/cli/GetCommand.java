package io.starling.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetDataResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code starling get EXECUTION}: shows one execution; {@code get task|workflow|launchplan
 * NAME} one registered version ({@link GetRegisteredCommands}).
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Show an execution: phase, times, error, inputs and outputs (-o json|yaml: all"
        + " of them, whole); or a task, workflow or launch plan version.",
    subcommands = {GetRegisteredCommands.GetTask.class, GetRegisteredCommands.GetWorkflow.class,
        GetRegisteredCommands.GetLaunchPlan.class})
public final class GetCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Mixin OutputOption output;

  @Parameters(paramLabel = "EXECUTION", arity = "0..1",
      description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Override
  public Integer call() {
    if (execution == null) {
      throw new IllegalArgumentException(
          "name an execution, or: get task|workflow|launchplan NAME [--version V]");
    }
    try (AdminClient client = server.connect()) {
      Execution found = ExecutionWatcher.get(client, server.execution(execution));
      if (output.table()) {
        Commands.printExecution(client, found, System.out);
        return 0;
      }
      ExecutionGetDataResponse data = client.call(AdminServiceGrpcClient.GetExecutionData,
          ExecutionGetDataRequest.newBuilder().setId(found.getId()).build());
      ObjectNode document = OutputOption.document();
      document.set("execution", OutputOption.message(found));
      document.set("inputs", OutputOption.values(data.getInputs()));
      document.set("outputs", OutputOption.values(data.getOutputs()));
      output.print(document, System.out);
    }
    return 0;
  }
}
