package io.starling.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.auth.ApiKey;
import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.ClusterDescribeRequest;
import io.starling.proto.admin.ClusterServiceGrpcClient;
import io.starling.proto.admin.ApiKeyCreateRequest;
import io.starling.proto.admin.ApiKeyListRequest;
import io.starling.proto.admin.ApiKeyServiceGrpcClient;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.admin.ExecutionGetRequest;
import io.starling.proto.admin.ExecutionListRequest;
import io.starling.proto.admin.ResourceListRequest;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.ResourceType;
import io.starling.proto.worker.ServerMessage;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys from outside, on a sandbox with {@code auth.mode: api-keys}: a call without a valid
 * key is UNAUTHENTICATED; a key of project alpha reads, launches and serves alpha only
 * (PERMISSION_DENIED for beta, and nothing of beta in an answer); roles limit what it does;
 * revocation is at once; the CLI sends --api-key.
 */
class AuthIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ApiKey BOOTSTRAP = ApiKey.generate();

  @TempDir
  static Path data;
  private static RunningSandbox running;
  private static AdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    running = RunningSandbox.start(data.resolve("pg"), Map.of("STARLING_DATABASE_DURABLE",
        "false", "STARLING_AUTH_MODE", "api-keys",
        "STARLING_AUTH_BOOTSTRAP_KEY", BOOTSTRAP.text()));
    admin = client(BOOTSTRAP.text());
    for (String project : List.of("alpha", "beta")) {
      Path spec = data.resolve(project + ".yaml");
      Files.writeString(spec, """
          project: %s
          domain: development
          tasks:
            - {name: work, version: v1, type: worker, queue: q, inputs: {x: integer}}
          workflows:
            - name: flow
              version: v1
              inputs: {x: integer}
              nodes:
                - {id: work, task: work, inputs: {x: "{{inputs.x}}"}}
          launch_plans:
            - {name: flow, version: v1, workflow: flow}
          """.formatted(project));
      CommandLineRun register = running.cli("register", spec.toString(), "--api-key",
          BOOTSTRAP.text());
      assertThat(register.exitCode()).as(register.err()).isZero();
    }
    launch(admin, "beta", "beta-run");
  }

  @AfterAll
  static void stop() {
    admin.close();
    running.close();
  }

  @Test
  void aCallWithoutAValidKeyIsUnauthenticated() {
    for (String key : new String[] {null, "not-a-key", ApiKey.generate().text()}) {
      try (AdminClient client = client(key)) {
        RpcException refused = refusal(() -> client.call(AdminServiceGrpcClient.ListTasks,
            ResourceListRequest.newBuilder().setProject("alpha").setDomain("development")
                .build()));
        assertThat(refused.status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      }
    }
    CommandLineRun cli = running.cli("list", "-p", "alpha");
    assertThat(cli.exitCode()).isNotZero();
    assertThat(cli.err().strip()).contains("UNAUTHENTICATED").doesNotContain("\n");
  }

  @Test
  void aKeyOfOneProjectNeverReachesAnother() {
    String alpha = create(admin, "alpha-ci", "alpha", "launch");
    try (AdminClient client = client(alpha)) {
      ExecutionIdentifier mine = launch(client, "alpha", "alpha-run");
      assertThat(client.call(AdminServiceGrpcClient.GetExecution,
          ExecutionGetRequest.newBuilder().setId(mine).build()).getId()).isEqualTo(mine);
      assertThat(client.call(AdminServiceGrpcClient.ListExecutions, ExecutionListRequest
          .newBuilder().setProject("alpha").setDomain("development").build())
          .getExecutionsList()).extracting(e -> e.getId().getProject()).containsOnly("alpha");

      ExecutionIdentifier theirs = ExecutionIdentifier.newBuilder().setProject("beta")
          .setDomain("development").setName("beta-run").build();
      assertDenied(() -> client.call(AdminServiceGrpcClient.GetExecution,
          ExecutionGetRequest.newBuilder().setId(theirs).build()));
      assertDenied(() -> client.call(AdminServiceGrpcClient.ListExecutions,
          ExecutionListRequest.newBuilder().setProject("beta").setDomain("development")
              .build()));
      assertDenied(() -> client.call(AdminServiceGrpcClient.ListExecutions,
          ExecutionListRequest.newBuilder().build()));
      assertDenied(() -> launch(client, "beta", "not-mine"));
      RpcException watch = refusal(() -> {
        client.watch(theirs, event -> { });
        return null;
      });
      assertThat(watch.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      assertThat(watch.getMessage()).doesNotContain("beta-run");
    }
  }

  @Test
  void rolesLimitWhatAKeyDoes() {
    String reader = create(admin, "dashboard", "alpha", "read");
    try (AdminClient client = client(reader)) {
      client.call(AdminServiceGrpcClient.ListTasks, ResourceListRequest.newBuilder()
          .setProject("alpha").setDomain("development").build());
      assertDenied(() -> launch(client, "alpha", "by-reader"));
      assertDenied(() -> client.call(ApiKeyServiceGrpcClient.CreateApiKey,
          ApiKeyCreateRequest.newBuilder().setName("x").setProject("alpha").addRoles("read")
              .build()));
    }
    String projectAdmin = create(admin, "alpha-admin", "alpha", "admin");
    try (AdminClient client = client(projectAdmin)) {
      create(client, "alpha-reader", "alpha", "read");
      assertDenied(() -> create(client, "everything", "*", "read"));
      assertDenied(() -> client.call(ApiKeyServiceGrpcClient.ListApiKeys,
          ApiKeyListRequest.getDefaultInstance()));
      assertThat(client.call(ApiKeyServiceGrpcClient.ListApiKeys, ApiKeyListRequest.newBuilder()
          .setProject("alpha").build()).getKeysList()).extracting(k -> k.getProject())
          .containsOnly("alpha");
      String beta = create(admin, "beta-ci", "beta", "launch");
      RpcException revoke = refusal(() -> client.call(ApiKeyServiceGrpcClient.RevokeApiKey,
          io.starling.proto.admin.ApiKeyRevokeRequest.newBuilder()
              .setId(ApiKey.parse(beta).orElseThrow().keyId()).build()));
      assertThat(revoke.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    }
  }

  @Test
  void anyKeyThatMayReadSeesTheClusterAndOnlySuch() {
    String reader = create(admin, "cluster-reader", "beta", "read");
    String worker = create(admin, "cluster-worker", "beta", "worker");
    try (AdminClient readerClient = client(reader); AdminClient workerClient = client(worker)) {
      assertThat(readerClient.call(ClusterServiceGrpcClient.DescribeCluster,
          ClusterDescribeRequest.getDefaultInstance()).getReplicasCount()).isEqualTo(1);
      assertDenied(() -> workerClient.call(ClusterServiceGrpcClient.DescribeCluster,
          ClusterDescribeRequest.getDefaultInstance()));
    }
  }

  @Test
  void aWorkerKeyServesTheQueuesOfItsProjectOnly() throws Exception {
    String worker = create(admin, "alpha-workers", "alpha", "worker");
    try (TestWorker mine = TestWorker.hello(running.sandbox.grpcPort(), worker, "alpha", "q")) {
      assertThat(mine.next(ServerMessage.KindCase.WELCOME, WAIT).hasWelcome()).isTrue();
    }
    try (TestWorker theirs = TestWorker.hello(running.sandbox.grpcPort(), worker, "beta", "q")) {
      TestWorker.End end = theirs.ended(WAIT);
      assertThat(end.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
      assertThat(end.message()).contains("project beta", "worker role");
    }
    try (TestWorker none = TestWorker.hello(running.sandbox.grpcPort(), null, "alpha", "q")) {
      assertThat(none.ended(WAIT).status()).isEqualTo(GrpcStatus.UNAUTHENTICATED);
    }
  }

  @Test
  void aRevokedKeyStopsAtOnceAndBadRequestsWriteNothing() {
    int before = admin.call(ApiKeyServiceGrpcClient.ListApiKeys,
        ApiKeyListRequest.getDefaultInstance()).getKeysCount();
    for (ApiKeyCreateRequest bad : List.of(
        ApiKeyCreateRequest.newBuilder().setName("x").setProject("alpha").addRoles("owner")
            .build(),
        ApiKeyCreateRequest.newBuilder().setName("x").setProject("alpha").build(),
        ApiKeyCreateRequest.newBuilder().setName("").setProject("alpha").addRoles("read")
            .build(),
        ApiKeyCreateRequest.newBuilder().setName("x").setProject("no spaces").addRoles("read")
            .build())) {
      assertThat(refusal(() -> admin.call(ApiKeyServiceGrpcClient.CreateApiKey, bad)).status())
          .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    }
    assertThat(admin.call(ApiKeyServiceGrpcClient.ListApiKeys,
        ApiKeyListRequest.getDefaultInstance()).getKeysCount()).isEqualTo(before);

    CommandLineRun created = running.cli("apikey", "create", "--name", "short-lived",
        "-p", "alpha", "--role", "read", "--api-key", BOOTSTRAP.text());
    assertThat(created.exitCode()).as(created.err()).isZero();
    String key = created.out().strip();
    assertThat(running.cli("list", "-p", "alpha", "--api-key", key).exitCode()).isZero();
    String id = ApiKey.parse(key).orElseThrow().keyId();
    CommandLineRun listed = running.cli("apikey", "list", "-p", "alpha", "--api-key",
        BOOTSTRAP.text());
    assertThat(listed.out()).contains(id, "short-lived").doesNotContain(key);
    assertThat(running.cli("apikey", "revoke", id, "--api-key", BOOTSTRAP.text()).exitCode())
        .isZero();
    CommandLineRun after = running.cli("list", "-p", "alpha", "--api-key", key);
    assertThat(after.exitCode()).isNotZero();
    assertThat(after.err()).contains("UNAUTHENTICATED");
  }

  private static AdminClient client(String key) {
    return new AdminClient("127.0.0.1", running.sandbox.grpcPort(), key);
  }

  private static String create(AdminClient client, String name, String project, String role) {
    return client.call(ApiKeyServiceGrpcClient.CreateApiKey, ApiKeyCreateRequest.newBuilder()
        .setName(name).setProject(project).addRoles(role).build()).getText();
  }

  private static ExecutionIdentifier launch(AdminClient client, String project, String name) {
    return client.call(AdminServiceGrpcClient.CreateExecution, ExecutionCreateRequest
        .newBuilder().setProject(project).setDomain("development").setName(name)
        .setLaunchPlan(Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
            .setProject(project).setDomain("development").setName("flow").setVersion("v1"))
        .setInputs(io.starling.proto.core.LiteralMap.newBuilder().putLiterals("x",
            io.starling.proto.core.Literal.newBuilder().setInteger(1).build()))
        .build()).getId();
  }

  private static void assertDenied(java.util.function.Supplier<?> call) {
    RpcException refused = refusal(call);
    assertThat(refused.status()).isEqualTo(GrpcStatus.PERMISSION_DENIED);
    assertThat(refused.getMessage()).doesNotContain("beta-run");
  }

  private static RpcException refusal(java.util.function.Supplier<?> call) {
    try {
      call.get();
    } catch (RpcException e) {
      return e;
    }
    throw new AssertionError("the call was not refused");
  }
}
