package io.starling.app.cli;

import io.starling.app.config.StarlingConfig;
import io.starling.app.demo.SeedWorkflow;
import io.starling.app.replica.Replica;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.WorkflowExecution;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code starling demo}: starts a sandbox, registers the seed workflow through the admin API,
 * runs it and prints its progress and result. Exits 0 only when the run succeeded with the
 * expected result.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start a sandbox, register and run the seed map-task workflow, print the result.")
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--width", description = "Items the map runs over (default: ${DEFAULT-VALUE})")
  int width = 1000;

  @Option(names = "--data-dir", description = "Where the demo's PostgreSQL keeps its data (default: ${DEFAULT-VALUE})")
  Path dataDirectory = Path.of(".starling", "demo");

  @Option(names = "--python", description = "Run the seed workflow as Flyte users write it, in"
      + " Python, through the Python SDK and a worker process (needs python3-grpcio,"
      + " python3-protobuf, protobuf-compiler, protobuf-compiler-grpc)")
  boolean python;

  @Option(names = "--python-interpreter", description = "The Python to run (default: ${DEFAULT-VALUE})")
  String interpreter = "/usr/bin/python3";

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.put("STARLING_DATABASE_DATA_DIR", dataDirectory.toString());
    environment.putIfAbsent("STARLING_GRPC_PORT", "0");
    environment.putIfAbsent("STARLING_HTTP_PORT", "0");
    out.println("Starting the sandbox (embedded PostgreSQL in " + dataDirectory + ") ...");
    try (Replica sandbox = Replica.start(StarlingConfig.load(null, environment));
        AdminClient client = new AdminClient("127.0.0.1", sandbox.grpcPort())) {
      if (python) {
        return new PythonDemo(PythonDemo.sdkOfThisCheckout(), interpreter, out)
            .run(sandbox.grpcPort(), width) ? 0 : 1;
      }
      RegisterCommand.register(client, SeedWorkflow.registration(), out);
      ExecutionIdentifier id = client.call(AdminServiceGrpcClient.CreateExecution,
          SeedWorkflow.execution(width).build()).getId();
      out.printf("Launched %s: map a + 2 → string over %d items, then coalesce%n", Format.id(id),
          width);
      Execution done = ExecutionWatcher.watch(client, id, out);
      out.println("Execution " + done.getClosure().getPhase() + " in "
          + Format.duration(done.getClosure().getDuration()));
      if (done.getClosure().getPhase() != WorkflowExecution.Phase.SUCCEEDED) {
        out.println("error: " + done.getClosure().getError().getMessage());
        return 1;
      }
      String result = client.call(AdminServiceGrpcClient.GetExecutionData,
          ExecutionGetDataRequest.newBuilder().setId(id).build())
          .getOutputs().getLiteralsOrThrow("o0").getStringValue();
      return check(result, width, out) ? 0 : 1;
    }
  }

  /** Prints {@code result} and whether it is the seed workflow's over {@code width} items. */
  static boolean check(String result, int width, PrintStream out) {
    boolean correct = result.equals(SeedWorkflow.expected(width));
    out.printf("Result (%d characters): %s%n", result.length(), abbreviate(result));
    out.println(correct ? "The result is the concatenation of a + 2 for every a, in order."
        : "error: the result differs from the concatenation of a + 2 for every a");
    return correct;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 40) + "..." + text.substring(text.length() - 36);
  }
}
