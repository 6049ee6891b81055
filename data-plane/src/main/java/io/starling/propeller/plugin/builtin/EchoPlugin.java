package io.starling.propeller.plugin.builtin;

import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Variable;
import io.starling.propeller.plugin.TaskAttempt;
import io.starling.propeller.plugin.TaskPlugin;
import io.starling.propeller.plugin.TaskResult;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code echo}: each declared output takes the input of the same name; a task with exactly one
 * input and one output passes that input through whatever the names.
 */
public final class EchoPlugin implements TaskPlugin {

  @Override
  public String type() {
    return "echo";
  }

  @Override
  public void start(TaskAttempt attempt, Consumer<TaskResult> done) {
    Map<String, Variable> outputs = attempt.task().getInterface().getOutputsMap();
    Map<String, Literal> inputs = attempt.inputs().getLiteralsMap();
    LiteralMap.Builder result = LiteralMap.newBuilder();
    if (outputs.size() == 1 && inputs.size() == 1) {
      result.putLiterals(outputs.keySet().iterator().next(), inputs.values().iterator().next());
    } else {
      for (String name : outputs.keySet()) {
        Literal value = inputs.get(name);
        if (value == null) {
          done.accept(TaskResult.userError(
              "EchoMissingInput", "echo: output '" + name + "' has no input of the same name"));
          return;
        }
        result.putLiterals(name, value);
      }
    }
    done.accept(TaskResult.succeeded(result.build()));
  }

  @Override
  public void abort(TaskAttempt attempt) {}
}
