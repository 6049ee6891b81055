package io.starling.app.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Struct;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import io.starling.proto.DurationText;
import io.starling.proto.LiteralJson;
import io.starling.proto.LiteralTypes;
import io.starling.proto.admin.LaunchPlanCreateRequest;
import io.starling.proto.admin.TaskCreateRequest;
import io.starling.proto.admin.WorkflowCreateRequest;
import io.starling.proto.core.Binding;
import io.starling.proto.core.CacheConfig;
import io.starling.proto.core.Container;
import io.starling.proto.core.FixedRate;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.RetryStrategy;
import io.starling.proto.core.Schedule;
import io.starling.proto.core.TaskMetadata;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.Variable;
import io.starling.proto.core.WorkflowMetadata;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a spec file (YAML or JSON) into registration requests. The format is documented in
 * {@code docs/api.md}; an example is {@code examples/hello.yaml}. Problems are
 * {@link IllegalArgumentException}s naming the entry and field.
 */
public final class SpecReader {

  private final Function<Identifier, TaskTemplate> registeredTasks;

  /** @param registeredTasks looks up tasks a workflow uses that the file does not define */
  public SpecReader(Function<Identifier, TaskTemplate> registeredTasks) {
    this.registeredTasks = registeredTasks;
  }

  /**
   * Reads a spec file. A file that is missing, a directory or not YAML is an
   * {@link IllegalArgumentException} of one line that names the file (and the line and column).
   */
  public Registration read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a directory; give a YAML or JSON spec file");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + " does not exist");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + ":" + syntaxError(e));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a mapping with tasks, workflows, launch_plans");
    }
    return read(root);
  }

  private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

  /**
   * A YAML parser's message as one line, {@code LINE:COLUMN: what}: SnakeYAML's unindented lines
   * (the context and the problem), placed at its last mark (where the problem is).
   */
  static String syntaxError(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    List<String> what = new ArrayList<>();
    String where = e.getLocation() == null ? "1:1"
        : e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
    for (String line : message.lines().toList()) {
      Matcher mark = MARK.matcher(line);
      if (line.strip().startsWith("in '") && mark.find()) {
        where = mark.group(1) + ":" + mark.group(2);
      } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        what.add(line.strip());
      }
    }
    return where + ": " + (what.isEmpty() ? "not YAML" : String.join(": ", what));
  }

  public Registration read(JsonNode root) {
    String project = required(root, "project", "spec");
    String domain = required(root, "domain", "spec");
    Map<String, TaskTemplate> tasks = new HashMap<>();
    List<TaskCreateRequest> taskRequests = new ArrayList<>();
    for (JsonNode task : root.path("tasks")) {
      Identifier id = id(ResourceType.TASK, project, domain, task, "task");
      TaskTemplate template = task(task, "task " + id.getName());
      tasks.put(id.getName() + "@" + id.getVersion(), template);
      taskRequests.add(TaskCreateRequest.newBuilder().setId(id).setSpec(template).build());
    }
    Map<String, TypedInterface> workflows = new HashMap<>();
    List<WorkflowCreateRequest> workflowRequests = new ArrayList<>();
    for (JsonNode workflow : root.path("workflows")) {
      Identifier id = id(ResourceType.WORKFLOW, project, domain, workflow, "workflow");
      WorkflowTemplate template = workflow(workflow, id, tasks, workflows, "workflow " + id.getName());
      workflows.put(id.getName() + "@" + id.getVersion(), template.getInterface());
      workflowRequests.add(WorkflowCreateRequest.newBuilder().setId(id).setSpec(template).build());
    }
    List<LaunchPlanCreateRequest> planRequests = new ArrayList<>();
    for (JsonNode plan : root.path("launch_plans")) {
      Identifier id = id(ResourceType.LAUNCH_PLAN, project, domain, plan, "launch plan");
      planRequests.add(LaunchPlanCreateRequest.newBuilder()
          .setId(id).setSpec(launchPlan(plan, id, workflows, "launch plan " + id.getName())).build());
    }
    return new Registration(taskRequests, workflowRequests, planRequests);
  }

  private static Identifier id(ResourceType type, String project, String domain, JsonNode node,
      String what) {
    return Identifier.newBuilder().setResourceType(type).setProject(project).setDomain(domain)
        .setName(required(node, "name", what)).setVersion(required(node, "version", what)).build();
  }

  private static TaskTemplate task(JsonNode task, String where) {
    TaskTemplate.Builder template = TaskTemplate.newBuilder()
        .setType(required(task, "type", where))
        .setInterface(TypedInterface.newBuilder()
            .putAllInputs(variables(task.path("inputs"), where + ".inputs"))
            .putAllOutputs(variables(task.path("outputs"), where + ".outputs")));
    TaskMetadata.Builder metadata = TaskMetadata.newBuilder();
    if (task.has("retries")) {
      metadata.setRetries(RetryStrategy.newBuilder().setRetries(task.get("retries").asInt())
          .setBackoff(duration(task.path("retry_backoff").asText("0s"), where + ".retry_backoff")));
    }
    if (task.has("timeout")) {
      metadata.setTimeout(duration(task.get("timeout").asText(), where + ".timeout"));
    }
    if (task.has("cache_version")) {
      metadata.setCache(CacheConfig.newBuilder().setEnabled(true)
          .setVersion(task.get("cache_version").asText()));
    }
    if (task.has("cache")) {
      JsonNode cache = task.get("cache");
      metadata.setCache(CacheConfig.newBuilder().setEnabled(cache.path("enabled").asBoolean(true))
          .setVersion(cache.path("version").asText("")));
    }
    template.setMetadata(metadata);
    if (task.has("command")) {
      Container.Builder container = Container.newBuilder();
      task.get("command").forEach(arg -> container.addCommand(arg.asText()));
      task.path("env").fields().forEachRemaining(e -> container.putEnv(e.getKey(), e.getValue().asText()));
      template.setContainer(container);
    }
    if (task.has("queue")) {
      template.setQueue(task.get("queue").asText());
    }
    if (task.has("config")) {
      Struct.Builder config = Struct.newBuilder();
      try {
        JsonFormat.parser().merge(task.get("config").toString(), config);
      } catch (IOException e) {
        throw new IllegalArgumentException(where + ".config: " + e.getMessage());
      }
      template.setConfig(config);
    }
    return template.build();
  }

  private WorkflowTemplate workflow(JsonNode workflow, Identifier id,
      Map<String, TaskTemplate> tasks, Map<String, TypedInterface> workflows, String where) {
    TypedInterface iface = TypedInterface.newBuilder()
        .putAllInputs(variables(workflow.path("inputs"), where + ".inputs"))
        .putAllOutputs(variables(workflow.path("outputs"), where + ".outputs"))
        .build();
    WorkflowTemplate.Builder template = WorkflowTemplate.newBuilder().setInterface(iface);
    if (workflow.path("on_failure").asText("").equals("complete_running")) {
      template.setMetadata(WorkflowMetadata.newBuilder()
          .setOnFailure(WorkflowMetadata.OnFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE));
    }
    NodeReader nodes = new NodeReader(id, tasks, registeredTasks, workflows);
    for (JsonNode node : workflow.path("nodes")) {
      template.addNodes(nodes.read(node, where));
    }
    workflow.path("bind_outputs").fields().forEachRemaining(output -> {
      Variable declared = iface.getOutputsMap().get(output.getKey());
      if (declared == null) {
        throw new IllegalArgumentException(where + ": '" + output.getKey() + "' is not a declared output");
      }
      template.addOutputs(Binding.newBuilder().setVar(output.getKey()).setBinding(Bindings.read(
          output.getValue(), declared.getType(), where + ".bind_outputs." + output.getKey())));
    });
    return template.build();
  }

  static int integer(JsonNode node, String field, int otherwise, String where) {
    JsonNode value = node.get(field);
    if (value == null) {
      return otherwise;
    }
    if (!value.canConvertToInt()) {
      throw new IllegalArgumentException(where + "." + field + ": expected an integer, got "
          + value);
    }
    return value.intValue();
  }

  private static LaunchPlanSpec launchPlan(JsonNode plan, Identifier id,
      Map<String, TypedInterface> workflows, String where) {
    String workflowName = plan.path("workflow").asText(id.getName());
    Identifier workflowId = id.toBuilder().setResourceType(ResourceType.WORKFLOW)
        .setName(workflowName).setVersion(plan.path("workflow_version").asText(id.getVersion()))
        .build();
    TypedInterface iface = workflows.get(workflowId.getName() + "@" + workflowId.getVersion());
    if (iface == null) {
      throw new IllegalArgumentException(where + ": workflow " + workflowName + "@"
          + workflowId.getVersion() + " is not in this file");
    }
    LaunchPlanSpec.Builder spec = LaunchPlanSpec.newBuilder().setWorkflowId(workflowId)
        .setDefaultInputs(values(plan.path("default_inputs"), iface, where + ".default_inputs"))
        .setFixedInputs(values(plan.path("fixed_inputs"), iface, where + ".fixed_inputs"));
    if (plan.has("max_parallelism")) {
      spec.setMaxParallelism(plan.get("max_parallelism").asInt());
    }
    if (plan.has("cron") && plan.has("rate")) {
      throw new IllegalArgumentException(where + ": give a cron or a rate, not both");
    }
    if (plan.has("cron") || plan.has("rate")) {
      Schedule.Builder schedule = Schedule.newBuilder()
          .setTimeZone(plan.path("time_zone").asText(""))
          .setKickoffTimeInputArg(plan.path("kickoff_time_input").asText(""))
          .setCatchUp(catchUp(plan.path("catch_up").asText("all"), where + ".catch_up"));
      if (plan.has("cron")) {
        schedule.setCronExpression(plan.get("cron").asText());
      } else {
        schedule.setRate(rate(plan.get("rate").asText(), where + ".rate"));
      }
      if (plan.has("catch_up_window")) {
        schedule.setCatchUpWindow(duration(plan.get("catch_up_window").asText(),
            where + ".catch_up_window"));
      }
      spec.setSchedule(schedule);
    }
    return spec.build();
  }

  private static Schedule.CatchUp catchUp(String text, String where) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "all" -> Schedule.CatchUp.ALL;
      case "latest" -> Schedule.CatchUp.LATEST;
      case "none" -> Schedule.CatchUp.NONE;
      default -> throw new IllegalArgumentException(where + ": expected all, latest or none, got '"
          + text + "'");
    };
  }

  private static final Pattern RATE = Pattern.compile("(\\d{1,10})([mhd])");

  /** A fixed rate as users write it: a number and m, h or d ({@code 5m}, {@code 2h}, {@code 1d}). */
  public static FixedRate rate(String text, String where) {
    Matcher match = RATE.matcher(text.strip());
    if (!match.matches()) {
      throw new IllegalArgumentException(where + " '" + text + "' is not a number and m, h or d"
          + " (such as 5m, 2h, 1d)");
    }
    long value = Long.parseLong(match.group(1));
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(where + " '" + text + "': the number must be 1-"
          + Integer.MAX_VALUE);
    }
    FixedRate.Unit unit = switch (match.group(2)) {
      case "m" -> FixedRate.Unit.MINUTE;
      case "h" -> FixedRate.Unit.HOUR;
      default -> FixedRate.Unit.DAY;
    };
    return FixedRate.newBuilder().setValue((int) value).setUnit(unit).build();
  }

  /** Values of workflow inputs, typed by the workflow's interface. */
  public static LiteralMap values(JsonNode values, TypedInterface iface, String where) {
    LiteralMap.Builder result = LiteralMap.newBuilder();
    values.fields().forEachRemaining(value -> {
      Variable declared = iface.getInputsMap().get(value.getKey());
      if (declared == null) {
        throw new IllegalArgumentException(where + ": '" + value.getKey()
            + "' is not an input of the workflow (inputs: " + iface.getInputsMap().keySet() + ")");
      }
      result.putLiterals(value.getKey(), LiteralJson.decode(
          Json.decodeValue(value.getValue().toString()), declared.getType(), value.getKey()));
    });
    return result.build();
  }

  private static Map<String, Variable> variables(JsonNode node, String where) {
    Map<String, Variable> variables = new java.util.LinkedHashMap<>();
    node.fields().forEachRemaining(field -> {
      try {
        variables.put(field.getKey(),
            Variable.newBuilder().setType(LiteralTypes.parse(field.getValue().asText())).build());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "." + field.getKey() + ": " + e.getMessage());
      }
    });
    return variables;
  }

  static com.google.protobuf.Duration duration(String text, String where) {
    try {
      return Durations.fromMillis(DurationText.parse(text).toMillis());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  static String required(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is required");
    }
    return value.asText();
  }
}
