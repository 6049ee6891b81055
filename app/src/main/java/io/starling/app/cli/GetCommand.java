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

/** {@code starling get EXECUTION}: shows one execution. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Show an execution: phase, times, error, inputs and outputs (-o json|yaml: all of them, whole).")
public final class GetCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Mixin OutputOption output;

  @Parameters(paramLabel = "EXECUTION", description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Override
  public Integer call() {
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
