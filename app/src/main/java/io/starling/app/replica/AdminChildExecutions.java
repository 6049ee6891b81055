package io.starling.app.replica;

import io.starling.admin.AdminException;
import io.starling.admin.execution.ExecutionService;
import io.starling.admin.registry.Registry;
import io.starling.admin.store.ExecutionRecord;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.starling.propeller.plugin.launchplan.ChildExecutions;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Launch-plan nodes' child executions, created and read through the admin's execution service. */
final class AdminChildExecutions implements ChildExecutions {

  private final ExecutionService executions;

  AdminChildExecutions(ExecutionService executions) {
    this.executions = executions;
  }

  @Override
  public Future<Long> start(Launch launch) {
    return executions.createChild(launch.parentId(), launch.nodeId(), launch.attempt(),
            launch.launchPlan(), launch.inputs())
        .recover(error -> Future.failedFuture(error instanceof AdminException e
            && e.code() == AdminException.Code.INVALID_ARGUMENT
            ? new IllegalArgumentException(e.getMessage()) : error));
  }

  @Override
  public Future<Map<Long, Outcome>> outcomes(Collection<Long> childIds) {
    return executions.byRowIds(childIds).map(children -> {
      Map<Long, Outcome> outcomes = new HashMap<>();
      children.forEach(child -> outcomes.put(child.rowId(), outcome(child)));
      return outcomes;
    });
  }

  private static Outcome outcome(ExecutionRecord child) {
    return new Outcome(
        child.id().getProject() + "/" + child.id().getDomain() + "/" + child.id().getName(),
        WorkflowExecution.Phase.forNumber(child.phase()),
        child.outputs() == null ? LiteralMap.getDefaultInstance()
            : Registry.parse(LiteralMap.parser(), child.outputs()),
        child.error() == null ? null : Registry.parse(ExecutionError.parser(), child.error()));
  }

  @Override
  public Future<Void> terminate(long childId, String cause) {
    return executions.byRowId(childId).compose(child -> executions.terminate(child.id(), cause))
        .recover(error -> error instanceof AdminException e
            && e.code() == AdminException.Code.FAILED_PRECONDITION
            ? Future.succeededFuture() : Future.failedFuture(error));
  }
}
