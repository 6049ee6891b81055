package io.starling.app.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.app.spec.Registration;
import io.starling.app.spec.SpecReader;
import io.starling.proto.admin.ExecutionCreateRequest;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;

/**
 * The seed example as a spec, as Flyte's map-task example writes it: {@code my_map_workflow(a:
 * list<integer>)} maps {@code a_mappable_task} (a + 2 → string, a local process) over {@code a}
 * with one retry per item, then {@code coalesce} concatenates the strings in order.
 */
public final class SeedWorkflow {

  public static final String PROJECT = "default";
  public static final String DOMAIN = "development";
  public static final String NAME = "my_map_workflow";
  public static final String VERSION = "v2";

  /** Reads {"a": N} from stdin, writes {"o0": "N+2"}. */
  private static final String ADD_TWO =
      "read -r in; a=${in#*:}; a=${a%\\}}; printf '{\"o0\": \"%s\"}' $((a + 2))";
  /** Reads {"b": ["x","y",...]} from stdin, writes {"o0": "xy..."}. */
  private static final String COALESCE =
      "read -r in; s=${in#*[}; s=${s%]*}; printf '{\"o0\": \"%s\"}' \"$(printf %s \"$s\" | tr -d '\",')\"";

  private SeedWorkflow() {}

  public static ObjectNode spec() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode spec = json.objectNode().put("project", PROJECT).put("domain", DOMAIN);
    ArrayNode tasks = spec.putArray("tasks");
    tasks.add(processTask("a_mappable_task", ADD_TWO).set("inputs", json.objectNode().put("a", "integer")));
    tasks.add(processTask("coalesce", COALESCE).set("inputs", json.objectNode().put("b", "list<string>")));

    ObjectNode workflow = spec.putArray("workflows").addObject().put("name", NAME).put("version", VERSION);
    workflow.putObject("inputs").put("a", "list<integer>");
    workflow.putObject("outputs").put("o0", "string");
    ArrayNode nodes = workflow.putArray("nodes");
    ObjectNode map = nodes.addObject().put("id", "mapped_out").put("map", "a_mappable_task")
        .put("retries", 1);
    map.putObject("inputs").put("a", "{{inputs.a}}");
    nodes.addObject().put("id", "coalesce").put("task", "coalesce")
        .putObject("inputs").put("b", "{{mapped_out.o0}}");
    workflow.putObject("bind_outputs").put("o0", "{{coalesce.o0}}");

    spec.putArray("launch_plans").addObject().put("name", NAME).put("version", VERSION);
    return spec;
  }

  /** The spec read as the CLI registers it (it needs nothing registered before it). */
  public static Registration registration() {
    return new SpecReader(id -> {
      throw new IllegalArgumentException("unknown task " + id);
    }).read(spec());
  }

  /** A request to run the launch plan over {@code a} = 0..width-1 (named by the server). */
  public static ExecutionCreateRequest.Builder execution(int width) {
    return ExecutionCreateRequest.newBuilder().setProject(PROJECT).setDomain(DOMAIN)
        .setLaunchPlan(Identifier.newBuilder().setResourceType(ResourceType.LAUNCH_PLAN)
            .setProject(PROJECT).setDomain(DOMAIN).setName(NAME).setVersion(VERSION))
        .setInputs(inputs(width));
  }

  /** The workflow's input: {@code a} = 0..width-1. */
  public static LiteralMap inputs(int width) {
    LiteralCollection.Builder a = LiteralCollection.newBuilder();
    for (int i = 0; i < width; i++) {
      a.addLiterals(Literal.newBuilder().setInteger(i));
    }
    return LiteralMap.newBuilder().putLiterals("a", Literal.newBuilder().setCollection(a).build())
        .build();
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
        .put("name", name).put("version", VERSION).put("type", "process");
    task.putObject("outputs").put("o0", "string");
    task.putArray("command").add("sh").add("-c").add(script);
    return task;
  }
}
