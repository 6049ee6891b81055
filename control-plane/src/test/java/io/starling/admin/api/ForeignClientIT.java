package io.starling.admin.api;

import static io.starling.admin.api.AdminGrpcIT.ADD;
import static io.starling.admin.api.AdminGrpcIT.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.admin.AdminServiceGrpcClient;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.core.ResourceType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.server.GrpcServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin as a client of another stack sees it: Node.js with grpc-js and proto-loader over
 * the project's .proto files (src/test/node), no generated code of the project. What a Java
 * client would hide shows here: how status messages are encoded, how unsigned fields arrive.
 * Needs node and npm on the PATH (.ci/run installs them); npm installs the client's two
 * packages into target/ once.
 */
class ForeignClientIT {

  private static final int MAX_MESSAGE_BYTES = 64 * 1024;
  private static final Path CLIENT = Path.of("target", "foreign-client");
  private static AdminServer admin;

  @BeforeAll
  static void start() throws Exception {
    installClient();
    admin = new AdminServer(new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
    admin.call(AdminServiceGrpcClient.CreateTask, TaskCreateRequest.newBuilder()
        .setId(id(ResourceType.TASK, "add", "v1")).setSpec(ADD).build());
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
  }

  private static void installClient() throws Exception {
    Files.createDirectories(CLIENT);
    for (String file : List.of("package.json", "package-lock.json", "admin-calls.js")) {
      Files.copy(Path.of("src", "test", "node", file), CLIENT.resolve(file),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(CLIENT.resolve("node_modules"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), null);
    }
  }

  /** Runs {@code calls} from the Node client; one result per call. */
  private static List<JsonObject> calls(JsonObject... calls) throws Exception {
    JsonObject input = new JsonObject()
        .put("address", "127.0.0.1:" + admin.port())
        .put("protoDir", Path.of("..", "proto", "src", "main", "proto").toAbsolutePath().toString())
        .put("calls", new JsonArray(List.of((Object[]) calls)));
    List<JsonObject> results = new ArrayList<>();
    for (String line : run(List.of("node", "admin-calls.js"), input.encode()).split("\n")) {
      if (!line.isBlank()) {
        results.add(new JsonObject(line));
      }
    }
    assertThat(results).hasSize(calls.length);
    return results;
  }

  private static JsonObject call(String method, JsonObject request) {
    return new JsonObject().put("method", method).put("request", request);
  }

  private static String run(List<String> command, String stdin) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(CLIENT.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (install Node.js and"
          + " npm to run the foreign-client tests): " + e.getMessage(), e);
    }
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(command + " ended").isTrue();
    assertThat(process.exitValue()).as(command + " exit code").isZero();
    return out;
  }

  @Test
  void statusMessagesReadAsWrittenWithSlashesColonsAndSemicolons() throws Exception {
    JsonObject differentTask = new JsonObject()
        .put("id", new JsonObject().put("resource_type", "TASK").put("project", "proj")
            .put("domain", "dev").put("name", "add").put("version", "v1"))
        .put("spec", new JsonObject().put("type", "noop"));

    List<JsonObject> results = calls(
        call("GetExecution", new JsonObject().put("id", new JsonObject()
            .put("project", "proj").put("domain", "dev").put("name", "nosuchx"))),
        call("CreateTask", differentTask));

    assertThat(results.get(0).getString("status")).isEqualTo("NOT_FOUND");
    assertThat(results.get(0).getString("details")).isEqualTo("execution proj/dev/nosuchx not found");
    assertThat(results.get(1).getString("status")).isEqualTo("ALREADY_EXISTS");
    assertThat(results.get(1).getString("details"))
        .contains("proj/dev/add@v1", "spec.type differs").doesNotContain("%");
  }

  @Test
  void aMinusOneInAnUnsignedFieldIsRefusedWithTheRange() throws Exception {
    JsonObject execution = new JsonObject().put("project", "proj").put("domain", "dev")
        .put("launch_plan", new JsonObject().put("resource_type", "LAUNCH_PLAN")
            .put("project", "proj").put("domain", "dev").put("name", "nope").put("version", "v1"))
        .put("max_parallelism", -1);

    JsonObject result = calls(call("CreateExecution", execution)).get(0);

    assertThat(result.getString("status")).isEqualTo("INVALID_ARGUMENT");
    assertThat(result.getString("details")).isEqualTo("max_parallelism must be between 0 and"
        + " 2147483647, got 4294967295 (is it a negative number sent as unsigned?)");
  }

  @Test
  void anOversizedRequestIsRefusedNamingTheLimitAndItsKey() throws Exception {
    JsonObject huge = new JsonObject()
        .put("id", new JsonObject().put("resource_type", "TASK").put("project", "proj")
            .put("domain", "dev").put("name", "huge").put("version", "v1"))
        .put("spec", new JsonObject().put("type", "noop").put("config", new JsonObject()
            .put("fields", new JsonObject().put("blob", new JsonObject()
                .put("stringValue", "x".repeat(2 * MAX_MESSAGE_BYTES))))));

    JsonObject result = calls(call("CreateTask", huge)).get(0);

    assertThat(result.getString("status")).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(result.getString("details")).contains("the most this server takes is "
        + MAX_MESSAGE_BYTES + " (grpc.max-message-bytes)");
  }

  @Test
  void aPageTokenThatIsNotOneIsRefused() throws Exception {
    JsonObject result = calls(call("ListNodeExecutions", new JsonObject()
        .put("execution_id", new JsonObject().put("project", "proj").put("domain", "dev")
            .put("name", "nosuchx"))
        .put("token", "garbage!!"))).get(0);

    assertThat(result.getString("status")).isEqualTo("INVALID_ARGUMENT");
    assertThat(result.getString("details"))
        .isEqualTo("token 'garbage!!' is not a token from a previous page");
  }
}
