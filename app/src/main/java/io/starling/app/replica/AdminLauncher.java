package io.starling.app.replica;

import io.starling.admin.AdminException;
import io.starling.admin.execution.ExecutionService;
import io.starling.proto.core.Identifier;
import io.starling.scheduler.Launcher;
import io.vertx.core.Future;
import java.time.Instant;

/** The scheduler's launches, made by the admin of the same process. */
final class AdminLauncher implements Launcher {

  private final ExecutionService executions;

  AdminLauncher(ExecutionService executions) {
    this.executions = executions;
  }

  @Override
  public Future<Outcome> launch(Identifier launchPlan, String name, Instant slot) {
    return Future.<Void>succeededFuture()
        .compose(ignored -> executions.createScheduled(launchPlan, name, slot))
        .map(created -> created ? Outcome.CREATED : Outcome.EXISTED)
        .recover(error -> error instanceof AdminException e
            && e.code() == AdminException.Code.FAILED_PRECONDITION
            ? Future.succeededFuture(Outcome.INACTIVE) : Future.failedFuture(error));
  }
}
