package io.starling.app.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.Node;
import io.starling.proto.core.Schedule;
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
  void theScheduledExampleReadsItsScheduleAndCatchUp() throws Exception {
    Registration registration = reader.read(Path.of("..", "examples", "scheduled.yaml"));

    Schedule schedule = registration.launchPlans().get(0).getSpec().getSchedule();
    assertThat(schedule.getCronExpression()).isEqualTo("* * * * *");
    assertThat(schedule.getKickoffTimeInputArg()).isEqualTo("at");
    assertThat(schedule.getCatchUp()).isEqualTo(Schedule.CatchUp.ALL);
    assertThat(schedule.getCatchUpWindow().getSeconds()).isEqualTo(3600);
  }

  @Test
  void aRateAndAPolicyAreReadAndAMistakeInEitherIsNamed() throws Exception {
    String plan = """
        project: p
        domain: d
        tasks: [{name: t, version: v1, type: echo, inputs: {a: integer}, outputs: {a: integer}}]
        workflows: [{name: w, version: v1, nodes: [{id: n1, task: t, inputs: {a: 1}}]}]
        launch_plans: [{name: w, version: v1, %s}]
        """;

    Schedule schedule = read(plan.formatted("rate: 90m, catch_up: latest")).launchPlans().get(0)
        .getSpec().getSchedule();

    assertThat(schedule.getRate().getValue()).isEqualTo(90);
    assertThat(schedule.getCatchUp()).isEqualTo(Schedule.CatchUp.LATEST);
    assertThatThrownBy(() -> read(plan.formatted("rate: 5m, catch_up: some")))
        .hasMessageContaining("launch plan w.catch_up: expected all, latest or none, got 'some'");
    assertThatThrownBy(() -> read(plan.formatted("rate: 5 minutes")))
        .hasMessageContaining("launch plan w.rate '5 minutes' is not a number and m, h or d");
    assertThatThrownBy(() -> read(plan.formatted("rate: 5m, cron: '@daily'")))
        .hasMessageContaining("give a cron or a rate, not both");
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

  @Test
  void branchSubWorkflowAndLaunchPlanNodesRead() throws Exception {
    Registration registration = read("""
        project: p
        domain: d
        tasks: [{name: echo, version: v1, type: echo, inputs: {a: integer}, outputs: {o: integer}}]
        workflows:
          - name: child
            version: v1
            inputs: {a: integer}
            outputs: {o: integer}
            nodes: [{id: e, task: echo, inputs: {a: "{{inputs.a}}"}}]
            bind_outputs: {o: "{{e.o}}"}
          - name: parent
            version: v1
            inputs: {x: integer}
            nodes:
              - id: pick
                inputs: {v: "{{inputs.x}}"}
                branch:
                  cases:
                    - if: "v > 10 and v <= 100 or v == -1"
                      then: {id: big, task: echo, inputs: {a: "{{inputs.x}}"}}
                  else: {id: small, task: echo, inputs: {a: 0}}
              - {id: sub, subworkflow: child, inputs: {a: "{{pick.o}}"}}
              - {id: call, launch_plan: child@v1, inputs: {a: 5}}
        launch_plans: [{name: child, version: v1}]
        """);

    var nodes = registration.workflows().get(1).getSpec().getNodesList();
    var branch = nodes.get(0).getBranchNode();
    assertThat(branch.getCases(0).getCondition().getConjunction().getOperator().name())
        .isEqualTo("OR");
    assertThat(branch.getCases(0).getThenNode().getId()).isEqualTo("big");
    assertThat(branch.getElseNode().getInputs(0).getBinding().getLiteral().getInteger()).isZero();
    assertThat(nodes.get(1).getWorkflowNode().getSubWorkflowRef().getName()).isEqualTo("child");
    assertThat(nodes.get(2).getWorkflowNode().getLaunchPlanRef().getVersion()).isEqualTo("v1");
    assertThat(nodes.get(2).getInputs(0).getBinding().getLiteral().getInteger()).isEqualTo(5);
  }

  @Test
  void aBadConditionOrTwoNodeKindsAreNamed() {
    assertThatThrownBy(() -> read("""
        project: p
        domain: d
        workflows:
          - name: w
            version: v1
            nodes:
              - id: b
                branch: {cases: [{if: "v >", then: {id: c, launch_plan: x}}]}
        """)).hasMessageContaining("workflow w node b case 1: condition 'v >': expected an input"
            + " name or a constant at the end");
    assertThatThrownBy(() -> read("""
        project: p
        domain: d
        workflows: [{name: w, version: v1, nodes: [{id: n, launch_plan: x, subworkflow: y}]}]
        """)).hasMessageContaining("workflow w node n: set exactly one of task, map, subworkflow,"
            + " launch_plan, branch (got subworkflow, launch_plan)");
  }
}
