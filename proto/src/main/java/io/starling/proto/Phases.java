package io.starling.proto;

import com.google.protobuf.Internal;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Facts about phases that every part of the platform agrees on. */
public final class Phases {

  /**
   * The execution phases that are not terminal, as an SQL list of their numbers: what the scan
   * of owned shards, the active-only lists and the partial indexes of active executions select.
   */
  public static final String ACTIVE_EXECUTIONS_SQL =
      executionPhases(phase -> !isTerminal(phase));

  /** The terminal execution phases, as an SQL list of their numbers. */
  public static final String TERMINAL_EXECUTIONS_SQL = executionPhases(Phases::isTerminal);

  private Phases() {}

  /**
   * The numbers of {@code phases} as an SQL list, e.g. {@code (4, 7)}: statements name phases
   * through the contract, never as numbers of their own.
   */
  public static String sql(Internal.EnumLite... phases) {
    return sql(Arrays.stream(phases));
  }

  private static String sql(Stream<? extends Internal.EnumLite> phases) {
    return phases.map(phase -> Integer.toString(phase.getNumber()))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String executionPhases(Predicate<WorkflowExecution.Phase> which) {
    return sql(Arrays.stream(WorkflowExecution.Phase.values())
        .filter(phase -> phase != WorkflowExecution.Phase.UNRECOGNIZED && which.test(phase)));
  }

  /** SUCCEEDED, FAILED, ABORTED and TIMED_OUT: nothing changes after them. */
  public static boolean isTerminal(WorkflowExecution.Phase phase) {
    switch (phase) {
      case SUCCEEDED:
      case FAILED:
      case ABORTED:
      case TIMED_OUT:
        return true;
      default:
        return false;
    }
  }

  /** SUCCEEDED, RECOVERED, FAILED, ABORTED, SKIPPED and TIMED_OUT: the node has ended. */
  public static boolean isTerminal(NodeExecution.Phase phase) {
    switch (phase) {
      case SUCCEEDED:
      case RECOVERED:
      case FAILED:
      case ABORTED:
      case SKIPPED:
      case TIMED_OUT:
        return true;
      default:
        return false;
    }
  }

  /** SUCCEEDED and RECOVERED: the node has its outputs and does not run again. */
  public static boolean isSuccessful(NodeExecution.Phase phase) {
    return phase == NodeExecution.Phase.SUCCEEDED || phase == NodeExecution.Phase.RECOVERED;
  }
}
