package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionRecoverRequest;
import io.starling.proto.core.ExecutionIdentifier;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code starling recover EXECUTION}: runs an execution that failed, was aborted or timed out
 * again as a new execution, reusing the outputs of the nodes that succeeded.
 */
@Command(name = "recover", mixinStandardHelpOptions = true, description = "Run a failed, aborted or timed-out execution again, "
    + "reusing the outputs of the nodes that succeeded.")
public final class RecoverCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "EXECUTION", description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Option(names = "--name", description = "Name of the new execution (default: generated)")
  String name = "";

  @Option(names = {"-w", "--watch"}, description = "Watch the new execution until it ends")
  boolean watch;

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      ExecutionIdentifier original = server.execution(execution);
      ExecutionIdentifier id = client.call(AdminServiceGrpcClient.RecoverExecution,
          ExecutionRecoverRequest.newBuilder().setId(original).setName(name).build()).getId();
      System.out.println("recovering " + Format.id(original) + " as " + Format.id(id));
      return watch ? Commands.watchToEnd(client, id, System.out) : 0;
    }
  }
}
