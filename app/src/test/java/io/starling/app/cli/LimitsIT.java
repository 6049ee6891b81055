package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.auth.ApiKey;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ObjectGetRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits that protect the service, set low: each refusal names the limit and its key, and
 * what it refuses is not written.
 */
class LimitsIT {

  private static final ApiKey KEY = ApiKey.generate();

  @TempDir
  static Path data;
  private static RunningSandbox running;
  private static AdminClient client;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE",
        "false", "STARLING_AUTH_MODE", "api-keys", "STARLING_AUTH_BOOTSTRAP_KEY", KEY.text(),
        "STARLING_ADMIN_MAX_WORKFLOW_NODES", "3", "STARLING_ADMIN_MAX_PAGE_SIZE", "10",
        "STARLING_ADMIN_MAX_INPUT_BYTES", "200", "STARLING_PROPELLER_MAX_MAP_ITEMS", "3",
        "STARLING_ADMIN_MAX_EXECUTIONS_PER_SECOND", "1"));
    client = new AdminClient("127.0.0.1", running.sandbox.grpcPort(), KEY.text());
    Path spec = data.resolve("limits.yaml");
    Files.writeString(spec, """
        project: default
        domain: development
        tasks:
          - {name: add, version: v1, type: echo, inputs: {a: integer}, outputs: {a: integer}}
        workflows:
          - name: each
            version: v1
            inputs: {xs: list<integer>}
            nodes:
              - {id: each, map: add, inputs: {a: "{{inputs.xs}}"}}
        launch_plans:
          - {name: each, version: v1, workflow: each}
        """);
    CommandLineRun register = running.cli("register", spec.toString(), "--api-key", KEY.text());
    assertThat(register.exitCode()).as(register.err()).isZero();
  }

  @AfterAll
  static void stop() {
    client.close();
    running.close();
  }

  @Test
  void aWorkflowOfMoreNodesThanTheLimitIsRefusedAndNotKept() throws Exception {
    Path spec = data.resolve("wide.yaml");
    Files.writeString(spec, """
        project: default
        domain: development
        workflows:
          - name: wide
            version: v1
            nodes:
              - {id: a, task: add@v1, inputs: {a: 1}}
              - {id: b, task: add@v1, inputs: {a: 1}}
              - {id: c, task: add@v1, inputs: {a: 1}}
              - {id: d, task: add@v1, inputs: {a: 1}}
        """);
    CommandLineRun register = running.cli("register", spec.toString(), "--api-key", KEY.text());
    assertThat(register.exitCode()).isNotZero();
    assertThat(register.err()).contains("INVALID_ARGUMENT", "4 nodes", "the most is 3",
        "admin.max-workflow-nodes");
    assertThat(refusal(() -> client.call(AdminServiceGrpcClient.GetWorkflow,
        ObjectGetRequest.newBuilder().setId(Identifier.newBuilder()
            .setResourceType(ResourceType.WORKFLOW).setProject("default")
            .setDomain("development").setName("wide").setVersion("v1")).build())).status())
        .isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void aPageLargerThanTheLimitAndInputsLargerThanTheLimitAreRefusedNamingTheirKeys() {
    RpcException page = refusal(() -> client.call(AdminServiceGrpcClient.ListExecutions,
        ExecutionListRequest.newBuilder().setProject("default").setDomain("development")
            .setLimit(11).build()));
    assertThat(page.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(page.getMessage()).contains("admin.max-page-size");

    RpcException inputs = refusal(() -> launch("too-big", 100));
    assertThat(inputs.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(inputs.getMessage()).contains("admin.max-input-bytes");
    assertThat(refusal(() -> client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id("too-big")).build())).status())
        .isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void aMapOverMoreItemsThanTheLimitFailsItsNodeNamingTheKey() {
    launch("four-items", 4);
    client.watch(id("four-items"), event -> { });
    var closure = client.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(id("four-items")).build()).getClosure();
    assertThat(closure.getPhase()).isEqualTo(WorkflowExecution.Phase.FAILED);
    assertThat(closure.getError().getMessage()).contains("4 items", "the most is 3",
        "propeller.max-map-items");
  }

  @Test
  void aKeyThatCreatesExecutionsFasterThanItsRateIsRefusedNamingTheKey() {
    RpcException refused = null;
    for (int i = 0; i < 40 && refused == null; i++) {
      int n = i;
      try {
        launch("fast-" + n, 1);
      } catch (RpcException e) {
        refused = e;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(refused.getMessage()).contains("admin.max-executions-per-second");
  }

  private static ExecutionIdentifier launch(String name, int items) {
    LiteralCollection.Builder xs = LiteralCollection.newBuilder();
    for (int i = 0; i < items; i++) {
      xs.addLiterals(Literal.newBuilder().setInteger(i));
    }
    return client.call(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest
        .newBuilder().setProject("default").setDomain("development").setName(name)
        .setLaunchPlan(Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
            .setProject("default").setDomain("development").setName("each").setVersion("v1"))
        .setInputs(LiteralMap.newBuilder().putLiterals("xs",
            Literal.newBuilder().setCollection(xs).build())).build()).getId();
  }

  private static ExecutionIdentifier id(String name) {
    return ExecutionIdentifier.newBuilder().setProject("default").setDomain("development")
        .setName(name).build();
  }

  private static RpcException refusal(Supplier<?> call) {
    try {
      call.get();
    } catch (RpcException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }
}
