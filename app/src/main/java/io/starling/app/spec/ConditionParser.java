package io.starling.app.spec;

import io.starling.proto.core.BooleanExpression;
import io.starling.proto.core.Comparison;
import io.starling.proto.core.Conjunction;
import io.starling.proto.core.Literal;
import io.starling.proto.core.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a branch condition of a spec file, e.g. {@code v > 10 and name == 'big'}: comparisons
 * ({@code == != > >= < <=}) of branch inputs (bare names) and constants (numbers, quoted
 * strings, {@code true}, {@code false}), joined by {@code and} (binding tighter) and {@code or}.
 */
final class ConditionParser {

  private static final Pattern TOKEN = Pattern.compile(
      "\\s*(?:(==|!=|>=|<=|>|<)|'([^']*)'|\"([^\"]*)\"|(-?\\d+\\.\\d+|-?\\d+)|([A-Za-z_][A-Za-z0-9_]*))");
  private static final Map<String, Comparison.Operator> OPERATORS = Map.of(
      "==", Comparison.Operator.EQ, "!=", Comparison.Operator.NEQ,
      ">", Comparison.Operator.GT, ">=", Comparison.Operator.GTE,
      "<", Comparison.Operator.LT, "<=", Comparison.Operator.LTE);

  private record Token(String operator, Literal constant, String word) {}

  private final List<Token> tokens = new ArrayList<>();
  private final String text;
  private final String where;
  private int next;

  private ConditionParser(String text, String where) {
    this.text = text;
    this.where = where;
    Matcher matcher = TOKEN.matcher(text);
    int at = 0;
    while (at < text.length() && !text.substring(at).isBlank()) {
      if (!matcher.find(at) || matcher.start() != at) {
        throw problem("cannot read '" + text.substring(at).strip() + "'");
      }
      tokens.add(token(matcher));
      at = matcher.end();
    }
  }

  static BooleanExpression parse(String text, String where) {
    ConditionParser parser = new ConditionParser(text, where);
    BooleanExpression expression = parser.disjunction();
    if (parser.next < parser.tokens.size()) {
      throw parser.problem("unexpected '" + parser.describe(parser.tokens.get(parser.next)) + "'");
    }
    return expression;
  }

  private BooleanExpression disjunction() {
    BooleanExpression left = conjunction();
    while (isWord("or")) {
      next++;
      left = join(Conjunction.Operator.OR, left, conjunction());
    }
    return left;
  }

  private BooleanExpression conjunction() {
    BooleanExpression left = comparison();
    while (isWord("and")) {
      next++;
      left = join(Conjunction.Operator.AND, left, comparison());
    }
    return left;
  }

  private BooleanExpression comparison() {
    Operand left = operand();
    Token operator = take("a comparison operator (== != > >= < <=)");
    if (operator.operator() == null) {
      throw problem("expected a comparison operator (== != > >= < <=), got '"
          + describe(operator) + "'");
    }
    Operand right = operand();
    return BooleanExpression.newBuilder().setComparison(Comparison.newBuilder()
        .setOperator(OPERATORS.get(operator.operator())).setLeft(left).setRight(right)).build();
  }

  private Operand operand() {
    Token token = take("an input name or a constant");
    if (token.constant() != null) {
      return Operand.newBuilder().setLiteral(token.constant()).build();
    }
    if (token.word() != null && !token.word().equals("and") && !token.word().equals("or")) {
      return switch (token.word()) {
        case "true", "false" -> Operand.newBuilder().setLiteral(
            Literal.newBuilder().setBoolean(token.word().equals("true"))).build();
        default -> Operand.newBuilder().setVar(token.word()).build();
      };
    }
    throw problem("expected an input name or a constant, got '" + describe(token) + "'");
  }

  private static BooleanExpression join(Conjunction.Operator operator, BooleanExpression left,
      BooleanExpression right) {
    return BooleanExpression.newBuilder().setConjunction(Conjunction.newBuilder()
        .setOperator(operator).setLeft(left).setRight(right)).build();
  }

  private boolean isWord(String word) {
    return next < tokens.size() && word.equals(tokens.get(next).word());
  }

  private Token take(String expected) {
    if (next == tokens.size()) {
      throw problem("expected " + expected + " at the end");
    }
    return tokens.get(next++);
  }

  private static Token token(Matcher matcher) {
    if (matcher.group(1) != null) {
      return new Token(matcher.group(1), null, null);
    }
    String quoted = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
    if (quoted != null) {
      return new Token(null, Literal.newBuilder().setStringValue(quoted).build(), null);
    }
    String number = matcher.group(4);
    if (number != null) {
      return new Token(null, number.contains(".")
          ? Literal.newBuilder().setFloatValue(Double.parseDouble(number)).build()
          : Literal.newBuilder().setInteger(Long.parseLong(number)).build(), null);
    }
    return new Token(null, null, matcher.group(5));
  }

  private String describe(Token token) {
    if (token.operator() != null) {
      return token.operator();
    }
    return token.word() != null ? token.word() : token.constant().toString().strip();
  }

  private IllegalArgumentException problem(String message) {
    return new IllegalArgumentException(where + ": condition '" + text + "': " + message);
  }
}
