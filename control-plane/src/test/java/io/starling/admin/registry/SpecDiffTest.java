package io.starling.admin.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.Container;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import org.junit.jupiter.api.Test;

class SpecDiffTest {

  private static TaskTemplate task(SimpleType inputType, String command) {
    return TaskTemplate.newBuilder().setType("process")
        .setInterface(TypedInterface.newBuilder().putInputs("a",
            Variable.newBuilder().setType(LiteralType.newBuilder().setSimple(inputType)).build()))
        .setContainer(Container.newBuilder().addCommand("sh").addCommand(command))
        .build();
  }

  @Test
  void equalSpecsHaveNoDifference() {
    assertThat(SpecDiff.firstDifference(task(SimpleType.INTEGER, "x"), task(SimpleType.INTEGER, "x")))
        .isNull();
  }

  @Test
  void aDifferenceInsideAMapNamesTheKeyAndField() {
    assertThat(SpecDiff.firstDifference(task(SimpleType.INTEGER, "x"), task(SimpleType.STRING, "x")))
        .isEqualTo("interface.inputs[a].type.simple");
  }

  @Test
  void aDifferenceInAListNamesTheIndex() {
    assertThat(SpecDiff.firstDifference(task(SimpleType.INTEGER, "x"), task(SimpleType.INTEGER, "y")))
        .isEqualTo("container.command[1]");
  }
}
