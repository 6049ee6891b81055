package io.starling.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.util.JsonFormat;
import io.starling.proto.LiteralTypes;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.TaskTemplate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Tasks of annotated methods, and records as structs. */
class TaskMethodTest {

  record Point(long x, double y, String label, List<Point> children, Map<String, Boolean> tags) {}

  @TaskMethod(name = "shift", retries = 2)
  static Point shift(Point point, int by) {
    return new Point(point.x() + by, point.y(), point.label(), point.children(), point.tags());
  }

  @TaskMethod
  static void sink(List<Long> values) {}

  static final class Unmappable {
    @TaskMethod
    static String format(StringBuilder text) {
      return text.toString();
    }
  }

  static final class Counter {
    private final AtomicLong count = new AtomicLong();

    @TaskMethod
    long add(long n) {
      return count.addAndGet(n);
    }
  }

  @Test
  void aMethodIsATaskOfItsParametersAndReturnValue() {
    Task task = Task.method(TaskMethodTest.class, "shift");
    TaskTemplate template = task.template("q");
    assertThat(task.name()).isEqualTo("shift");
    assertThat(template.getMetadata().getRetries().getRetries()).isEqualTo(2);
    assertThat(template.getInterface().getInputsMap().keySet()).containsExactlyInAnyOrder(
        "point", "by");
    assertThat(LiteralTypes.describe(template.getInterface().getInputsOrThrow("by").getType()))
        .isEqualTo("integer");
    assertThat(LiteralTypes.describe(template.getInterface().getOutputsOrThrow("o0").getType()))
        .isEqualTo("struct");

    Type<Point> points = Type.record(Point.class);
    Point point = new Point(1, 0.5, "p", List.of(new Point(2, 1, null, List.of(), Map.of())),
        Map.of("on", true));
    LiteralMap outputs = task.run(LiteralMap.newBuilder()
        .putLiterals("point", points.literal(point))
        .putLiterals("by", Type.INTEGER.literal(41L)).build());
    assertThat(points.value(outputs.getLiteralsOrThrow("o0"))).isEqualTo(
        new Point(42, 0.5, "p", point.children(), Map.of("on", true)));
  }

  @Test
  void aVoidMethodHasNoOutputsAndAnInstanceMethodRunsOnItsTarget() {
    assertThat(Task.method(TaskMethodTest.class, "sink").template("q").getInterface()
        .getOutputsCount()).isZero();
    Counter counter = new Counter();
    Task add = Task.method(counter, "add");
    add.run(LiteralMap.newBuilder().putLiterals("n", Type.INTEGER.literal(3L)).build());
    add.run(LiteralMap.newBuilder().putLiterals("n", Type.INTEGER.literal(4L)).build());
    assertThat(counter.count.get()).isEqualTo(7);
  }

  @Test
  void methodsThatCannotBeTasksAreRefusedNamingWhy() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Task.methods(Unmappable.class)))
        .hasMessageStartingWith("Unmappable.format parameter text: java.lang.StringBuilder has"
            + " no Starling type");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Task.method(Counter.class, "add")))
        .hasMessage("Counter.add is an instance method: pass the instance");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Task.method(TaskMethodTest.class, "nothing")))
        .hasMessageContaining("has no @TaskMethod method named nothing");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Task.methods(String.class))).hasMessageContaining("has no @TaskMethod method");
  }

  @Test
  void anIntParameterRefusesAnIntegerBeyondItsRange() {
    Task task = Task.method(TaskMethodTest.class, "shift");
    assertThat(catchThrowableOfType(ArithmeticException.class, () -> task.run(
        LiteralMap.newBuilder()
            .putLiterals("point", Type.record(Point.class).literal(
                new Point(0, 0, "", List.of(), Map.of())))
            .putLiterals("by", Type.INTEGER.literal(1L << 40)).build())))
        .isNotNull();
  }

  record Holder(Object anything) {}

  record Reading(int count, Double value, boolean valid) {}

  @Test
  void aStructReadsWhatThePythonSdkWritesForADataclass() throws Exception {
    // json_format of a dataclass {count: 3, value: None, valid: True}: numbers are doubles.
    Literal.Builder literal = Literal.newBuilder();
    JsonFormat.parser().merge("{\"struct\": {\"count\": 3.0, \"value\": null, \"valid\": true}}",
        literal);
    assertThat(Type.record(Reading.class).value(literal.build()))
        .isEqualTo(new Reading(3, null, true));
  }

  @Test
  void recordsAStructCannotHoldAreRefused() {
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Type.record(Holder.class)))
        .hasMessageStartingWith("Holder.anything: java.lang.Object cannot be a struct field");
    assertThat(catchThrowableOfType(IllegalArgumentException.class,
        () -> Type.record(Point.class).literal(new Point(1L << 54, 0, "", List.of(), Map.of()))))
        .hasMessageContaining("beyond 2^53");
  }
}
