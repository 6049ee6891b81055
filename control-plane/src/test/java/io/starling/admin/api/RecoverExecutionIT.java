package io.starling.admin.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.admin.api.AdminServer.Refusal;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.Execution;
import io.starling.proto.admin.ExecutionGetDataRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionRecoverRequest;
import io.starling.proto.admin.ExecutionSpec;
import io.starling.proto.admin.NodeExecutionListRequest;
import io.starling.proto.admin.NodeExecutionRecord;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.NodeExecution;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.grpc.common.GrpcStatus;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RecoverExecution over real gRPC on a real PostgreSQL, the test writing the propeller's rows. */
class RecoverExecutionIT {

  private static final LiteralMap OUTPUTS = LiteralMap.newBuilder()
      .putLiterals("a", Literal.newBuilder().setInteger(7).build()).build();
  private static AdminServer admin;

  @BeforeAll
  static void start() {
    admin = new AdminServer();
  }

  @AfterAll
  static void stop() {
    admin.close();
  }

  /** Ends {@code id} in {@code phase} with node a SUCCEEDED (after two attempts) and b FAILED. */
  private static long endWithAFailedNode(ExecutionIdentifier id, WorkflowExecution.Phase phase)
      throws Exception {
    long row = admin.rowId(id);
    String outputs = "'\\x" + HexFormat.of().formatHex(OUTPUTS.toByteArray()) + "'::bytea";
    admin.commit("UPDATE executions SET phase = " + phase.getNumber() + ", version = 3 WHERE id = " + row,
        "INSERT INTO node_executions (execution_id, node_id, phase, attempts, inputs, outputs, version,"
            + " started_at, updated_at, ended_at) VALUES (" + row + ", 'a', 3, 2, " + outputs + ", "
            + outputs + ", 4, now(), now(), now())",
        "INSERT INTO node_executions (execution_id, node_id, phase, attempts, version, updated_at)"
            + " VALUES (" + row + ", 'b', 4, 1, 2, now())");
    return row;
  }

  private static ExecutionRecoverRequest recover(ExecutionIdentifier id, String name) {
    return ExecutionRecoverRequest.newBuilder().setId(id).setName(name).build();
  }

  @Test
  void aRecoveryRunsAgainWithTheSucceededNodesRecoveredAndTellsThePropeller() throws Exception {
    ExecutionIdentifier failed = admin.launch("broke", 41);
    endWithAFailedNode(failed, WorkflowExecution.Phase.FAILED);

    ExecutionIdentifier recovered = admin.call(AdminServiceGrpcClient.RecoverExecution,
        recover(failed, "broke-again")).getId();

    Execution execution = admin.call(AdminServiceGrpcClient.GetExecution,
        ExecutionGetRequest.newBuilder().setId(recovered).build());
    assertThat(execution.getSpec().getMode()).isEqualTo(ExecutionSpec.Mode.RECOVERED);
    assertThat(execution.getSpec().getReferenceExecution()).isEqualTo(failed);
    assertThat(execution.getSpec().getWorkflow().getName()).isEqualTo("pair");
    assertThat(execution.getClosure().getPhase()).isEqualTo(WorkflowExecution.Phase.QUEUED);
    assertThat(admin.call(AdminServiceGrpcClient.GetExecutionData,
        ExecutionGetDataRequest.newBuilder().setId(recovered).build()).getInputs()
        .getLiteralsOrThrow("x").getInteger()).isEqualTo(41);
    List<NodeExecutionRecord> nodes = admin.call(AdminServiceGrpcClient.ListNodeExecutions,
        NodeExecutionListRequest.newBuilder().setExecutionId(recovered).build()).getNodeExecutionsList();
    assertThat(nodes).hasSize(1);
    assertThat(nodes.get(0).getId().getNodeId()).isEqualTo("a");
    assertThat(nodes.get(0).getPhase()).isEqualTo(NodeExecution.Phase.RECOVERED);
    assertThat(nodes.get(0).getOutputs()).isEqualTo(OUTPUTS);
    assertThat(nodes.get(0).getAttempts()).isEqualTo(2);
    long row = admin.rowId(recovered);
    assertThat(admin.count("SELECT version FROM node_executions WHERE execution_id = " + row)).isEqualTo(1);
    assertThat(admin.count("SELECT count(*) FROM node_executions WHERE execution_id = " + row
        + " AND inputs IS NOT NULL")).isEqualTo(1);
    assertThat(admin.created).contains(row);
  }

  @Test
  void aRecoveredExecutionThatFailsAgainCanBeRecoveredKeepingItsRecoveredNodes() throws Exception {
    ExecutionIdentifier first = admin.launch("twice", 1);
    endWithAFailedNode(first, WorkflowExecution.Phase.TIMED_OUT);
    ExecutionIdentifier second = admin.call(AdminServiceGrpcClient.RecoverExecution,
        recover(first, "")).getId();
    admin.commit("UPDATE executions SET phase = 7 WHERE id = " + admin.rowId(second));

    ExecutionIdentifier third = admin.call(AdminServiceGrpcClient.RecoverExecution,
        recover(second, "")).getId();

    assertThat(third.getName()).matches("[a-z][a-z0-9]{19}");
    assertThat(admin.count("SELECT count(*) FROM node_executions WHERE phase = 9 AND node_id = 'a'"
        + " AND execution_id = " + admin.rowId(third))).isEqualTo(1);
  }

  @Test
  void onlyAnExecutionThatEndedWithoutSucceedingCanBeRecoveredAndARefusalWritesNothing()
      throws Exception {
    ExecutionIdentifier queued = admin.launch("still-queued", 1);
    ExecutionIdentifier succeeded = admin.launch("went-fine", 1);
    endWithAFailedNode(succeeded, WorkflowExecution.Phase.SUCCEEDED);
    long executions = admin.count("SELECT count(*) FROM executions");

    Refusal running = admin.refusal(AdminServiceGrpcClient.RecoverExecution, recover(queued, "r1"));
    Refusal done = admin.refusal(AdminServiceGrpcClient.RecoverExecution, recover(succeeded, "r2"));

    assertThat(running.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(running.message()).contains("proj/dev/still-queued is QUEUED")
        .contains("only an execution that ended FAILED, ABORTED or TIMED_OUT can be recovered");
    assertThat(done.status()).isEqualTo(GrpcStatus.FAILED_PRECONDITION);
    assertThat(done.message()).contains("is SUCCEEDED").contains("relaunch");
    assertThat(admin.count("SELECT count(*) FROM executions")).isEqualTo(executions);
  }

  @Test
  void aNameInUseIsRefusedAndNoNodeIsCopied() throws Exception {
    ExecutionIdentifier failed = admin.launch("taken-source", 1);
    endWithAFailedNode(failed, WorkflowExecution.Phase.ABORTED);
    admin.launch("taken", 1);
    long nodes = admin.count("SELECT count(*) FROM node_executions");

    Refusal refusal = admin.refusal(AdminServiceGrpcClient.RecoverExecution, recover(failed, "taken"));

    assertThat(refusal.status()).isEqualTo(GrpcStatus.ALREADY_EXISTS);
    assertThat(admin.count("SELECT count(*) FROM node_executions")).isEqualTo(nodes);
  }

  @Test
  void unknownAndMalformedExecutionsAreRefused() {
    assertThat(admin.refusal(AdminServiceGrpcClient.RecoverExecution,
        recover(AdminServer.executionId("ghost"), ""))).isEqualTo(
            new Refusal(GrpcStatus.NOT_FOUND, "execution proj/dev/ghost not found"));
    assertThat(admin.refusal(AdminServiceGrpcClient.RecoverExecution,
        recover(ExecutionIdentifier.getDefaultInstance(), "")).status())
        .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
  }
}
