package io.starling.app.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The seed example as a spec: {@code width} nodes of {@code a_mappable_task} (a + 2 → string,
 * a local process) fanned out over 0..width-1, then {@code coalesce}, which concatenates their
 * outputs in order. One node per item until map tasks exist.
 */
public final class SeedWorkflow {

  public static final String PROJECT = "default";
  public static final String DOMAIN = "development";
  public static final String NAME = "seed_fan_out";
  public static final String TASK_VERSION = "v1";

  /** Reads {"a": N} from stdin, writes {"o0": "N+2"}. */
  private static final String ADD_TWO =
      "read -r in; a=${in#*:}; a=${a%\\}}; printf '{\"o0\": \"%s\"}' $((a + 2))";
  /** Reads {"b": ["x","y",...]} from stdin, writes {"o0": "xy..."}. */
  private static final String COALESCE =
      "read -r in; s=${in#*[}; s=${s%]*}; printf '{\"o0\": \"%s\"}' \"$(printf %s \"$s\" | tr -d '\",')\"";

  private SeedWorkflow() {}

  /** The workflow's version: one per width, so demos of different widths share a database. */
  public static String version(int width) {
    return "v1-" + width;
  }

  public static ObjectNode spec(int width) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode spec = json.objectNode().put("project", PROJECT).put("domain", DOMAIN);
    ArrayNode tasks = spec.putArray("tasks");
    tasks.add(processTask("a_mappable_task", ADD_TWO).set("inputs", json.objectNode().put("a", "integer")));
    tasks.add(processTask("coalesce", COALESCE).set("inputs", json.objectNode().put("b", "list<string>")));

    ObjectNode workflow = spec.putArray("workflows").addObject().put("name", NAME).put("version", version(width));
    workflow.putObject("outputs").put("o0", "string");
    workflow.putObject("bind_outputs").put("o0", "{{coalesce.o0}}");
    ArrayNode nodes = workflow.putArray("nodes");
    ArrayNode mapped = json.arrayNode();
    for (int i = 0; i < width; i++) {
      nodes.addObject().put("id", "n" + i).put("task", "a_mappable_task@" + TASK_VERSION)
          .putObject("inputs").put("a", i);
      mapped.add("{{n" + i + ".o0}}");
    }
    nodes.addObject().put("id", "coalesce").put("task", "coalesce@" + TASK_VERSION)
        .putObject("inputs").set("b", mapped);

    spec.putArray("launch_plans").addObject().put("name", NAME).put("version", version(width));
    return spec;
  }

  /** What coalesce must return: the concatenation of a + 2 for a in 0..width-1. */
  public static String expected(int width) {
    StringBuilder expected = new StringBuilder();
    for (int a = 0; a < width; a++) {
      expected.append(a + 2);
    }
    return expected.toString();
  }

  private static ObjectNode processTask(String name, String script) {
    ObjectNode task = JsonNodeFactory.instance.objectNode()
        .put("name", name).put("version", TASK_VERSION).put("type", "process").put("retries", 1);
    task.putObject("outputs").put("o0", "string");
    task.putArray("command").add("sh").add("-c").add(script);
    return task;
  }
}
