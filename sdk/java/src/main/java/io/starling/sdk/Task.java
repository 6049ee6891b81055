package io.starling.sdk;

import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A task written in Java: typed inputs and outputs and the function that runs it, served by a
 * {@link Worker}. {@code Task.of("add-two", "a", Type.INTEGER, Type.STRING, a -> "" + (a + 2))}
 * has one input {@code a} and one output {@code o0}; {@link #named} builds any other shape, and
 * {@link #method} makes a task of a {@link TaskMethod} method.
 */
public final class Task {

  /** The inputs of one attempt, by name. */
  public interface Inputs {
    <T> T get(String name, Type<T> type);
  }

  private final String name;
  private final Map<String, Type<?>> inputs;
  private final Map<String, Type<?>> outputs;
  private final Function<Inputs, Map<String, ?>> body;
  private final int retries;

  private Task(String name, Map<String, Type<?>> inputs, Map<String, Type<?>> outputs,
      Function<Inputs, Map<String, ?>> body, int retries) {
    this.name = name;
    this.inputs = Map.copyOf(inputs);
    this.outputs = Map.copyOf(outputs);
    this.body = body;
    this.retries = retries;
  }

  /** A task of one input and one output, {@code o0}. */
  public static <A, R> Task of(String name, String input, Type<A> inputType, Type<R> outputType,
      Function<A, R> function) {
    return named(name).input(input, inputType).output("o0", outputType)
        .run(in -> Map.of("o0", function.apply(in.get(input, inputType))));
  }

  /** The task of {@code owner}'s static {@link TaskMethod} method {@code method}. */
  public static Task method(Class<?> owner, String method) {
    return MethodTasks.named(owner, null, method);
  }

  /** The task of {@code target}'s {@link TaskMethod} method {@code method}, called on it. */
  public static Task method(Object target, String method) {
    return MethodTasks.named(target.getClass(), target, method);
  }

  /** The tasks of all of {@code owner}'s static {@link TaskMethod} methods. */
  public static List<Task> methods(Class<?> owner) {
    return MethodTasks.all(owner, null);
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Builds a task of any inputs and outputs. */
  public static final class Builder {
    private final String name;
    private final Map<String, Type<?>> inputs = new LinkedHashMap<>();
    private final Map<String, Type<?>> outputs = new LinkedHashMap<>();
    private int retries;

    private Builder(String name) {
      this.name = name;
    }

    public Builder input(String input, Type<?> type) {
      inputs.put(input, type);
      return this;
    }

    public Builder output(String output, Type<?> type) {
      outputs.put(output, type);
      return this;
    }

    /** Attempts after the first when the function throws. */
    public Builder retries(int count) {
      this.retries = count;
      return this;
    }

    /** The function: the inputs in, each output by name out. */
    public Task run(Function<Inputs, Map<String, ?>> function) {
      return new Task(name, inputs, outputs, function, retries);
    }
  }

  public String name() {
    return name;
  }

  Map<String, Type<?>> inputs() {
    return inputs;
  }

  Map<String, Type<?>> outputs() {
    return outputs;
  }

  /** The template registered for this task: type {@code worker} on {@code queue}. */
  TaskTemplate template(String queue) {
    TypedInterface.Builder types = TypedInterface.newBuilder();
    inputs.forEach((n, t) -> types.putInputs(n, Variable.newBuilder()
        .setType(t.literalType()).build()));
    outputs.forEach((n, t) -> types.putOutputs(n, Variable.newBuilder()
        .setType(t.literalType()).build()));
    return TaskTemplate.newBuilder().setType("worker").setQueue(queue).setInterface(types)
        .setMetadata(TaskMetadata.newBuilder().setRetries(
            RetryStrategy.newBuilder().setRetries(retries))).build();
  }

  /** Runs the function on literal inputs; its outputs as literals. */
  LiteralMap run(LiteralMap literals) {
    Map<String, ?> values = body.apply(new Inputs() {
      @Override
      public <T> T get(String input, Type<T> type) {
        if (!inputs.containsKey(input)) {
          throw new IllegalArgumentException("task " + name + " has no input " + input);
        }
        return type.value(literals.getLiteralsOrThrow(input));
      }
    });
    LiteralMap.Builder out = LiteralMap.newBuilder();
    outputs.forEach((output, type) -> {
      if (!values.containsKey(output)) {
        throw new IllegalStateException("task " + name + " returned no output " + output);
      }
      out.putLiterals(output, type.literalOf(values.get(output), "task " + name + " output "
          + output));
    });
    return out.build();
  }
}
