package io.starling.admin.compiler;

import io.starling.proto.LiteralTypes;
import io.starling.proto.Quote;
import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.Comparison;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.Operand;
import io.starling.proto.core.SimpleType;
import java.util.Map;

/**
 * Checks a branch condition against the types of the branch node's inputs: every operand is a
 * known input or a constant of a comparable kind, both sides of a comparison are the same kind
 * (integers and floats are both numbers), and booleans are only tested for (in)equality.
 */
final class Conditions {

  private final Map<String, LiteralType> inputs;
  private final Problems problems;

  Conditions(Map<String, LiteralType> inputs, Problems problems) {
    this.inputs = inputs;
    this.problems = problems;
  }

  void check(BooleanExpression expression, String where) {
    switch (expression.getExpressionCase()) {
      case COMPARISON -> check(expression.getComparison(), where);
      case CONJUNCTION -> {
        check(expression.getConjunction().getLeft(), where);
        check(expression.getConjunction().getRight(), where);
      }
      default -> problems.add(where + ": the condition is empty");
    }
  }

  private void check(Comparison comparison, String where) {
    String left = kind(comparison.getLeft(), where);
    String right = kind(comparison.getRight(), where);
    if (left == null || right == null) {
      return;
    }
    if (!left.equals(right)) {
      problems.add(where + ": cannot compare " + left + " with " + right);
    } else if (left.equals("boolean") && comparison.getOperator() != Comparison.Operator.EQ
        && comparison.getOperator() != Comparison.Operator.NEQ) {
      problems.add(where + ": booleans are compared with EQ or NEQ only, not "
          + comparison.getOperator());
    }
  }

  /** number, string, boolean, datetime or duration; null (reported) for anything else. */
  private String kind(Operand operand, String where) {
    switch (operand.getValueCase()) {
      case VAR -> {
        LiteralType type = inputs.get(operand.getVar());
        if (type == null) {
          problems.add(where + ": " + Quote.of(operand.getVar()) + " is not an input of the branch node"
              + " (inputs: " + String.join(", ", inputs.keySet()) + ")");
          return null;
        }
        String kind = type.hasSimple() ? kind(type.getSimple()) : null;
        if (kind == null) {
          problems.add(where + ": input " + Quote.of(operand.getVar()) + " is "
              + LiteralTypes.describe(type) + ", which cannot be compared");
        }
        return kind;
      }
      case LITERAL -> {
        String kind = kind(operand.getLiteral());
        if (kind == null) {
          problems.add(where + ": a constant operand must be an integer, float, string, boolean,"
              + " datetime or duration, got " + TypeChecker.describe(operand.getLiteral()));
        }
        return kind;
      }
      default -> {
        problems.add(where + ": an operand has neither var nor literal");
        return null;
      }
    }
  }

  private static String kind(SimpleType type) {
    return switch (type) {
      case INTEGER, FLOAT -> "number";
      case STRING -> "string";
      case BOOLEAN -> "boolean";
      case DATETIME -> "datetime";
      case DURATION -> "duration";
      default -> null;
    };
  }

  private static String kind(Literal literal) {
    return switch (literal.getValueCase()) {
      case INTEGER, FLOAT_VALUE -> "number";
      case STRING_VALUE -> "string";
      case BOOLEAN -> "boolean";
      case DATETIME -> "datetime";
      case DURATION -> "duration";
      default -> null;
    };
  }
}
