package io.starling.propeller.round;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.Comparison;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Operand;
import io.starling.propeller.graph.BranchSpec;
import io.starling.propeller.graph.NodeSpec;

/**
 * Picks the case a branch node runs: the first whose condition holds on the branch node's
 * inputs, else the else case, descending into nested branches. Deterministic: inputs come from
 * succeeded upstream nodes, so a resumed execution picks the same case again.
 */
final class Branches {

  private Branches() {}

  /** The case taken: the spec it runs and its path of case ids, e.g. {@code big/even}. */
  record Choice(NodeSpec spec, String path) {}

  /** No case matched and there is no else node; {@code message} is the user's else_fail text. */
  static final class NoMatch extends RuntimeException {
    NoMatch(String message) {
      super(message, null, false, false);
    }
  }

  static Choice choose(NodeSpec branchNode, ExecutionState state) {
    BranchSpec branch = branchNode.branch();
    LiteralMap inputs = BindingResolver.resolve(branchNode.inputs(), state);
    for (BranchSpec.Case candidate : branch.cases()) {
      if (holds(candidate.condition(), inputs)) {
        return descend(candidate, state);
      }
    }
    if (branch.otherwise() != null) {
      return descend(branch.otherwise(), state);
    }
    throw new NoMatch(branch.elseFail() != null ? branch.elseFail()
        : "no case of branch node " + branchNode.id() + " matched and it has no else");
  }

  private static Choice descend(BranchSpec.Case taken, ExecutionState state) {
    if (!taken.node().isBranch()) {
      return new Choice(taken.node(), taken.id());
    }
    Choice inner = choose(taken.node(), state);
    return new Choice(inner.spec(), taken.id() + "/" + inner.path());
  }

  static boolean holds(BooleanExpression expression, LiteralMap inputs) {
    switch (expression.getExpressionCase()) {
      case COMPARISON:
        return holds(expression.getComparison(), inputs);
      case CONJUNCTION: {
        var conjunction = expression.getConjunction();
        boolean left = holds(conjunction.getLeft(), inputs);
        return switch (conjunction.getOperator()) {
          case AND -> left && holds(conjunction.getRight(), inputs);
          case OR -> left || holds(conjunction.getRight(), inputs);
          default -> throw new IllegalStateException("unknown logical operator");
        };
      }
      default:
        throw new IllegalStateException("empty condition");
    }
  }

  private static boolean holds(Comparison comparison, LiteralMap inputs) {
    Literal left = value(comparison.getLeft(), inputs);
    Literal right = value(comparison.getRight(), inputs);
    if (left.hasNone() || right.hasNone()) {
      boolean same = left.hasNone() && right.hasNone();
      return switch (comparison.getOperator()) {
        case EQ -> same;
        case NEQ -> !same;
        default -> false;
      };
    }
    int order = compare(left, right);
    return switch (comparison.getOperator()) {
      case EQ -> order == 0;
      case NEQ -> order != 0;
      case GT -> order > 0;
      case GTE -> order >= 0;
      case LT -> order < 0;
      case LTE -> order <= 0;
      default -> throw new IllegalStateException("unknown comparison operator");
    };
  }

  private static Literal value(Operand operand, LiteralMap inputs) {
    if (operand.hasLiteral()) {
      return operand.getLiteral();
    }
    Literal value = inputs.getLiteralsMap().get(operand.getVar());
    if (value == null) {
      throw new IllegalStateException("branch input '" + operand.getVar() + "' has no value");
    }
    return value;
  }

  private static int compare(Literal left, Literal right) {
    if (left.hasInteger() && right.hasInteger()) {
      return Long.compare(left.getInteger(), right.getInteger());
    }
    if (isNumber(left) && isNumber(right)) {
      return Double.compare(number(left), number(right));
    }
    if (left.hasStringValue() && right.hasStringValue()) {
      return left.getStringValue().compareTo(right.getStringValue());
    }
    if (left.hasBoolean() && right.hasBoolean()) {
      return Boolean.compare(left.getBoolean(), right.getBoolean());
    }
    if (left.hasDatetime() && right.hasDatetime()) {
      return Timestamps.compare(left.getDatetime(), right.getDatetime());
    }
    if (left.hasDuration() && right.hasDuration()) {
      return Durations.compare(left.getDuration(), right.getDuration());
    }
    throw new IllegalStateException("cannot compare " + left.getValueCase() + " with "
        + right.getValueCase());
  }

  private static boolean isNumber(Literal value) {
    return value.hasInteger() || value.hasFloatValue();
  }

  private static double number(Literal value) {
    return value.hasInteger() ? value.getInteger() : value.getFloatValue();
  }
}
