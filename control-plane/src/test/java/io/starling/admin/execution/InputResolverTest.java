package io.starling.admin.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import org.junit.jupiter.api.Test;

class InputResolverTest {

  private static final TypedInterface WORKFLOW = TypedInterface.newBuilder()
      .putInputs("a", variable(LiteralType.newBuilder().setCollectionType(
          LiteralType.newBuilder().setSimple(SimpleType.INTEGER)).build()))
      .putInputs("b", variable(LiteralType.newBuilder().setSimple(SimpleType.STRING).build()))
      .putInputs("c", variable(LiteralType.newBuilder().setSimple(SimpleType.BOOLEAN).build()))
      .build();
  private static final LaunchPlanSpec PLAN = LaunchPlanSpec.newBuilder()
      .setDefaultInputs(values("b", string("default")))
      .setFixedInputs(values("c", Literal.newBuilder().setBoolean(true).build()))
      .build();

  private static Variable variable(LiteralType type) {
    return Variable.newBuilder().setType(type).build();
  }

  private static Literal string(String value) {
    return Literal.newBuilder().setStringValue(value).build();
  }

  private static LiteralMap values(String name, Literal value) {
    return LiteralMap.newBuilder().putLiterals(name, value).build();
  }

  @Test
  void fixedAndDefaultInputsAreAppliedAndGivenOnesOverrideDefaults() {
    LiteralMap resolved = InputResolver.resolve(PLAN, WORKFLOW,
        LiteralMap.newBuilder().putLiterals("a", Literal.newBuilder().setCollection(
            io.starling.proto.core.LiteralCollection.getDefaultInstance()).build())
            .putLiterals("b", string("given")).build(), "w");

    assertThat(resolved.getLiteralsOrThrow("b").getStringValue()).isEqualTo("given");
    assertThat(resolved.getLiteralsOrThrow("c").getBoolean()).isTrue();
  }

  @Test
  void badInputsAreNamed() {
    assertThatThrownBy(() -> InputResolver.resolve(PLAN, WORKFLOW, LiteralMap.getDefaultInstance(), "w"))
        .hasMessage("input 'a' is required");
    assertThatThrownBy(() -> InputResolver.resolve(PLAN, WORKFLOW, values("a", string("x")), "w"))
        .hasMessage("input 'a': expected list<integer>, got string");
    assertThatThrownBy(() -> InputResolver.resolve(PLAN, WORKFLOW, values("zzz", string("x")), "w"))
        .hasMessageContaining("input 'zzz' is not an input of workflow w");
    assertThatThrownBy(() -> InputResolver.resolve(PLAN, WORKFLOW,
        values("c", Literal.newBuilder().setBoolean(false).build()), "w"))
        .hasMessageContaining("input 'c' is fixed by the launch plan");
  }
}
