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
        .map(scheduled -> switch (scheduled) {
          case CREATED -> Outcome.CREATED;
          case EXISTED -> Outcome.EXISTED;
          case INACTIVE -> Outcome.INACTIVE;
        })
        .recover(error -> Future.failedFuture(error instanceof AdminException refused
            ? new Refused(refused.getMessage()) : error));
  }
}
