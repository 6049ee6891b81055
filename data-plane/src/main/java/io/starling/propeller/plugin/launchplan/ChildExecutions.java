package io.starling.propeller.plugin.launchplan;

import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;

/**
 * How a launch-plan node starts and follows its child execution; the admin implements it, so
 * a child is created, validated and recorded like any execution.
 */
public interface ChildExecutions {

  /**
   * Creates the child of one attempt of a launch-plan node, or finds the one already created
   * for that attempt (after a restart of the propeller). Fails with
   * {@link IllegalArgumentException} when the child cannot be created for a reason a retry
   * would not change (bad inputs, nesting too deep). Returns the child's row id.
   */
  Future<Long> start(Launch launch);

  /** The phase, and the outputs or error once ended, of each of these children that exists. */
  Future<Map<Long, Outcome>> outcomes(Collection<Long> childIds);

  /** Asks the child to stop; a no-op once it ended. */
  Future<Void> terminate(long childId, String cause);

  /**
   * One attempt's child: {@code parentName} is project/domain/name of the parent execution,
   * whose project and domain the child shares.
   */
  record Launch(long parentId, String parentName, String nodeId, int attempt,
      Identifier launchPlan, LiteralMap inputs) {}

  /**
   * @param name project/domain/name of the child
   * @param outputs set when the child succeeded
   * @param error set when it failed
   */
  record Outcome(String name, WorkflowExecution.Phase phase, LiteralMap outputs,
      ExecutionError error) {}
}
