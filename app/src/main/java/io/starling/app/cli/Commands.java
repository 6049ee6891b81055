package io.starling.app.cli;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetDataResponse;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.WorkflowExecution;
import java.io.PrintStream;

/** Printing shared by the commands that show an execution. */
final class Commands {

  private Commands() {}

  /** Watches {@code id} to its end and prints it; the exit code: 0 if it succeeded, else 1. */
  static int watchToEnd(AdminClient client, ExecutionIdentifier id, PrintStream out) {
    Execution execution = ExecutionWatcher.watch(client, id, out);
    printExecution(client, execution, out);
    return execution.getClosure().getPhase() == WorkflowExecution.Phase.SUCCEEDED ? 0 : 1;
  }

  static void printExecution(AdminClient client, Execution execution, PrintStream out) {
    ExecutionIdentifier id = execution.getId();
    var closure = execution.getClosure();
    out.println("execution  " + Format.id(id));
    out.println("phase      " + closure.getPhase());
    out.println("launch     " + Format.id(execution.getSpec().getLaunchPlan()));
    if (execution.getSpec().hasReferenceExecution()) {
      out.println("mode       " + execution.getSpec().getMode() + " from "
          + Format.id(execution.getSpec().getReferenceExecution()));
    }
    if (execution.getSpec().hasScheduledAt()) {
      out.println("scheduled  " + Format.time(execution.getSpec().getScheduledAt()));
    }
    out.println("created    " + Format.time(closure.getCreatedAt()));
    out.println("started    " + Format.time(closure.getStartedAt()));
    if (closure.hasDuration()) {
      out.println("duration   " + Format.duration(closure.getDuration()));
    }
    if (closure.hasError()) {
      out.println("error      " + closure.getError().getCode() + ": " + closure.getError().getMessage());
    }
    if (!closure.getAbortCause().isEmpty()) {
      out.println("aborted    " + closure.getAbortCause());
    }
    ExecutionGetDataResponse data = client.call(AdminServiceGrpcClient.GetExecutionData,
        ExecutionGetDataRequest.newBuilder().setId(id).build());
    out.println("inputs     " + Format.values(data.getInputs(), 400));
    out.println("outputs    " + Format.values(data.getOutputs(), 400));
  }
}
