package io.starling.propeller.graph;

import io.starling.proto.core.BooleanExpression;
import java.util.List;

/**
 * The cases of a branch node in order, then what happens when none matches: the else node,
 * else a failure with {@code elseFail} (or a generic one when that is null too).
 */
public record BranchSpec(List<Case> cases, Case otherwise, String elseFail) {

  /**
   * One case: the node spec it runs (numbered and named as the branch node, since it runs as
   * that node) and the case's own id, recorded as the branch taken.
   *
   * @param condition null for the else case
   */
  public record Case(String id, BooleanExpression condition, NodeSpec node) {}
}
