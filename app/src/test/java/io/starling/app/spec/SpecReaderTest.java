package io.starling.app.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.Node;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpecReaderTest {

  private final SpecReader reader = new SpecReader(id -> {
    throw new IllegalArgumentException("task " + id.getName() + " is not registered");
  });

  private Registration read(String yaml) throws Exception {
    return reader.read(new ObjectMapper(new YAMLFactory()).readTree(yaml));
  }

  @Test
  void theExampleFileReadsIntoTasksWorkflowsAndLaunchPlans() throws Exception {
    Registration registration = reader.read(Path.of("..", "examples", "hello.yaml"));

    assertThat(registration.tasks()).hasSize(2);
    assertThat(registration.workflows()).singleElement().satisfies(workflow -> {
      Node loud = workflow.getSpec().getNodes(1);
      assertThat(loud.getInputs(0).getBinding().getPromise().getNodeId()).isEqualTo("hello");
    });
    assertThat(registration.launchPlans().get(0).getSpec().getDefaultInputs()
        .getLiteralsOrThrow("who").getStringValue()).isEqualTo("starling");
  }

  @Test
  void listsMayMixReferencesAndConstants() throws Exception {
    Registration registration = read("""
        project: p
        domain: d
        tasks: [{name: t, version: v1, type: echo, inputs: {xs: list<integer>}, outputs: {xs: list<integer>}}]
        workflows:
          - name: w
            version: v1
            inputs: {x: integer}
            nodes: [{id: a, task: t, inputs: {xs: ["{{inputs.x}}", 7]}}]
        """);

    BindingData xs = registration.workflows().get(0).getSpec().getNodes(0).getInputs(0).getBinding();
    assertThat(xs.getCollection().getBindings(0).getWorkflowInput()).isEqualTo("x");
    assertThat(xs.getCollection().getBindings(1).getLiteral().getInteger()).isEqualTo(7);
  }

  @Test
  void aConstantOfTheWrongTypeNamesTheNodeAndInput() {
    assertThatThrownBy(() -> read("""
        project: p
        domain: d
        tasks: [{name: t, version: v1, type: echo, inputs: {a: integer}, outputs: {a: integer}}]
        workflows: [{name: w, version: v1, nodes: [{id: n1, task: t, inputs: {a: "seven"}}]}]
        """)).hasMessageContaining("workflow w node n1.inputs.a: expected integer, got seven");
  }

  @Test
  void anUnknownTypeIsNamed() {
    assertThatThrownBy(() -> read("""
        project: p
        domain: d
        tasks: [{name: t, version: v1, type: echo, inputs: {a: integr}}]
        """)).hasMessageContaining("task t.inputs.a: unknown type 'integr'");
  }

  @Test
  void aMissingNameIsNamed() {
    assertThatThrownBy(() -> read("project: p\ndomain: d\ntasks: [{version: v1, type: noop}]\n"))
        .hasMessageContaining("task: 'name' is required");
  }
}
