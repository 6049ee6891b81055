package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionTerminateRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code starling terminate EXECUTION}: asks for a running execution to be aborted. */
@Command(name = "terminate", mixinStandardHelpOptions = true, description = "Abort a running execution.")
public final class TerminateCommand implements Callable<Integer> {

  @Mixin ServerOptions server;

  @Parameters(paramLabel = "EXECUTION", description = "NAME or PROJECT/DOMAIN/NAME")
  String execution;

  @Option(names = "--cause", description = "Why (default: ${DEFAULT-VALUE})")
  String cause = "terminated from the command line";

  @Override
  public Integer call() {
    try (AdminClient client = server.connect()) {
      var id = server.execution(execution);
      client.call(AdminServiceGrpcClient.TerminateExecution,
          ExecutionTerminateRequest.newBuilder().setId(id).setCause(cause).build());
      System.out.println("termination requested for " + Format.id(id));
    }
    return 0;
  }
}
