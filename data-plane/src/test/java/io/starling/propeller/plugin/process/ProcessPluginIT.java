package io.starling.propeller.plugin.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.proto.core.Container;
import io.starling.proto.core.ExecutionError;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.SimpleType;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcessPluginIT {

  private final ProcessPlugin plugin = new ProcessPlugin(new ProcessOptions().maxConcurrent(2));

  @AfterEach
  void close() {
    plugin.close();
  }

  private static TaskAttempt attempt(String script, SimpleType outputType) {
    Variable integer = Variable.newBuilder()
        .setType(LiteralType.newBuilder().setSimple(SimpleType.INTEGER)).build();
    Variable output = Variable.newBuilder()
        .setType(LiteralType.newBuilder().setSimple(outputType)).build();
    TaskTemplate task = TaskTemplate.newBuilder()
        .setType("process")
        .setInterface(TypedInterface.newBuilder().putInputs("a", integer).putOutputs("o", output))
        .setContainer(Container.newBuilder().addAllCommand(List.of("sh", "-c", script)))
        .build();
    LiteralMap inputs = LiteralMap.newBuilder()
        .putLiterals("a", Literal.newBuilder().setInteger(40).build()).build();
    return new TaskAttempt(1, "p/d/e", "n0", 0, Identifier.getDefaultInstance(), task, inputs);
  }

  private TaskResult run(TaskAttempt attempt) throws Exception {
    CompletableFuture<TaskResult> result = new CompletableFuture<>();
    plugin.start(attempt, result::complete);
    return result.get(20, TimeUnit.SECONDS);
  }

  private ExecutionError failure(TaskResult result) {
    assertThat(result).isInstanceOf(TaskResult.Failed.class);
    return ((TaskResult.Failed) result).error();
  }

  @Test
  void readsInputsFromStdinAndOutputsFromStdout() throws Exception {
    TaskResult result = run(attempt(
        "read -r in; a=${in#*:}; a=${a%\\}}; printf '{\"o\": \"%s\"}' $((a + 2))",
        SimpleType.STRING));

    assertThat(result).isInstanceOf(TaskResult.Succeeded.class);
    assertThat(((TaskResult.Succeeded) result).outputs().getLiteralsOrThrow("o").getStringValue())
        .isEqualTo("42");
  }

  @Test
  void aNonZeroExitFailsWithTheTailOfStderr() throws Exception {
    ExecutionError error = failure(run(attempt("echo 'disk full' >&2; exit 3", SimpleType.STRING)));

    assertThat(error.getKind()).isEqualTo(ExecutionError.Kind.USER);
    assertThat(error.getMessage()).contains("exited with code 3").contains("disk full");
  }

  @Test
  void stdoutThatIsNotJsonFailsSayingSo() throws Exception {
    ExecutionError error = failure(run(attempt("echo hello", SimpleType.STRING)));

    assertThat(error.getMessage()).contains("stdout is not a JSON object: hello");
  }

  @Test
  void anOutputOfTheWrongTypeFailsNamingIt() throws Exception {
    ExecutionError error = failure(run(attempt("echo '{\"o\": \"x\"}'", SimpleType.INTEGER)));

    assertThat(error.getMessage()).contains("o: expected integer, got x");
  }

  @Test
  void aMissingOutputFailsNamingIt() throws Exception {
    ExecutionError error = failure(run(attempt("echo '{}'", SimpleType.INTEGER)));

    assertThat(error.getMessage()).contains("output 'o' is missing");
  }

  @Test
  void aCommandThatDoesNotExistFails() throws Exception {
    TaskAttempt attempt = attempt("true", SimpleType.STRING);
    TaskAttempt missing = new TaskAttempt(1, "p/d/e", "n0", 0, attempt.taskId(),
        attempt.task().toBuilder().setContainer(
            Container.newBuilder().addCommand("/no/such/command")).build(), attempt.inputs());

    assertThat(failure(run(missing)).getMessage()).contains("cannot run /no/such/command");
  }
}
