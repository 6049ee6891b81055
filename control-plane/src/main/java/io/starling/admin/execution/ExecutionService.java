package io.starling.admin.execution;

import io.starling.admin.AdminException;
import io.starling.admin.AdminOptions;
import io.starling.admin.compiler.WorkflowCompiler;
import io.starling.admin.ExecutionListener;
import io.starling.admin.registry.Ids;
import io.starling.admin.registry.Registry;
import io.starling.admin.store.AttemptRecord;
import io.starling.admin.store.ExecutionRecord;
import io.starling.admin.store.ExecutionStore;
import io.starling.admin.store.Kind;
import io.starling.admin.store.NewExecution;
import io.starling.admin.store.NodeRecord;
import io.starling.admin.store.Page;
import io.starling.admin.store.RegistryStore;
import io.starling.proto.Phases;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * Executions: creation (inputs resolved against the launch plan, one row in one statement,
 * idempotent by name), reads, termination requests, relaunches and recoveries. After a row
 * commits the {@link ExecutionListener} is told, so the owning propeller starts at once.
 */
public final class ExecutionService {

  /** ExecutionSpec.Mode values, as stored. */
  static final int MANUAL = 0;
  static final int RELAUNCH = 2;
  static final int RECOVERED = 3;

  private static final char[] NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final RegistryStore registry;
  private final ExecutionStore executions;
  private final AdminOptions options;
  private final ShardFunction shards;
  private final ExecutionListener listener;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final LaunchTargets launchTargets;

  public ExecutionService(RegistryStore registry, ExecutionStore executions, AdminOptions options,
      ExecutionListener listener, Clock clock) {
    this.registry = registry;
    this.launchTargets = new LaunchTargets(registry);
    this.executions = executions;
    this.options = options;
    this.shards = new ShardFunction(options.shardKey(), options.shardCount());
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Creates an execution of a launch plan; {@code name} empty means generated,
   * {@code maxParallelism} null means the launch plan's or the platform default.
   */
  public Future<ExecutionIdentifier> create(String project, String domain, String name,
      Identifier launchPlanId, LiteralMap inputs, Integer maxParallelism) {
    ExecutionIdentifier id = ExecutionIdentifier.newBuilder()
        .setProject(Ids.name(project, "project")).setDomain(Ids.name(domain, "domain"))
        .setName(name.isEmpty() ? generatedName() : Ids.executionName(name, "name")).build();
    Identifier planId = Ids.valid(launchPlanId, ResourceType.LAUNCH_PLAN, "launch_plan");
    if (inputs.getSerializedSize() > options.maxInputBytes()) {
      throw AdminException.invalid("inputs are " + inputs.getSerializedSize()
          + " bytes; the most an execution takes is " + options.maxInputBytes());
    }
    return launchTargets.get(planId).compose(target -> {
      LaunchPlanSpec spec = target.spec();
      LiteralMap resolved = InputResolver.resolve(spec, target.workflowInterface(), inputs,
          Ids.describe(target.workflowId()));
      int parallelism = maxParallelism != null ? maxParallelism
          : spec.hasMaxParallelism() ? spec.getMaxParallelism() : options.maxParallelism();
      return insert(new NewExecution(id, target.planRowId(), target.workflowRowId(), shard(id),
          MANUAL, 0, parallelism, resolved.toByteArray(), clock.instant()));
    });
  }

  /** A new execution with the launch plan, inputs and parallelism of an earlier one. */
  public Future<ExecutionIdentifier> relaunch(ExecutionIdentifier original, String name) {
    return get(original).compose(record -> {
      ExecutionIdentifier id = record.id().toBuilder()
          .setName(name.isEmpty() ? generatedName() : Ids.executionName(name, "name")).build();
      return insert(new NewExecution(id, record.launchPlanRowId(), record.workflowRowId(),
          shard(id), RELAUNCH, record.rowId(), record.maxParallelism(), record.inputs(),
          clock.instant()));
    });
  }

  /**
   * A new execution of the same workflow version, inputs and parallelism as {@code original},
   * which must have ended without succeeding; the nodes that succeeded in it start out
   * RECOVERED with their outputs, so only the others run. The execution row and the recovered
   * node rows commit together.
   */
  public Future<ExecutionIdentifier> recover(ExecutionIdentifier original, String name) {
    return get(original).compose(record -> {
      WorkflowExecution.Phase phase = WorkflowExecution.Phase.forNumber(record.phase());
      if (!Phases.isTerminal(phase) || phase == WorkflowExecution.Phase.SUCCEEDED) {
        throw AdminException.failedPrecondition("execution " + Ids.describe(original) + " is "
            + phase + "; only an execution that ended FAILED, ABORTED or TIMED_OUT can be"
            + " recovered" + (phase == WorkflowExecution.Phase.SUCCEEDED
                ? " (relaunch it to run it again)" : " (wait for it to end, or terminate it)"));
      }
      ExecutionIdentifier id = record.id().toBuilder()
          .setName(name.isEmpty() ? generatedName() : Ids.executionName(name, "name")).build();
      NewExecution execution = new NewExecution(id, record.launchPlanRowId(),
          record.workflowRowId(), shard(id), RECOVERED, record.rowId(), record.maxParallelism(),
          record.inputs(), clock.instant());
      return executions.insertRecovery(execution, record.rowId()).map(rowId -> {
        listener.executionCreated(rowId, execution.shard());
        return id;
      });
    });
  }

  public Future<ExecutionRecord> get(ExecutionIdentifier id) {
    Ids.valid(id, "id");
    return executions.find(id).map(found -> found.orElseThrow(() ->
        AdminException.notFound("execution " + Ids.describe(id) + " not found")));
  }

  public Future<Page<ExecutionRecord>> list(String project, String domain, String launchPlanName,
      List<WorkflowExecution.Phase> phases, int limit, String token) {
    Ids.name(project, "project");
    Ids.name(domain, "domain");
    if (!launchPlanName.isEmpty()) {
      Ids.name(launchPlanName, "launch_plan_name");
    }
    int size = Page.size(limit, options.pageSize(), options.maxPageSize());
    Short[] phaseNumbers = phases.stream().map(p -> (short) p.getNumber()).toArray(Short[]::new);
    return executions.list(project, domain, launchPlanName, phaseNumbers, Page.rowId(token), size)
        .map(items -> new Page<>(items,
            items.size() < size ? "" : Page.token(items.get(items.size() - 1).rowId())));
  }

  /**
   * Records a request to abort; the propeller aborts the running nodes and writes ABORTED.
   * A second request for a running execution succeeds without a change.
   */
  public Future<Void> terminate(ExecutionIdentifier id, String cause) {
    Ids.valid(id, "id");
    String why = cause.isBlank() ? "terminated by request" : cause;
    return executions.requestAbort(id, why, clock.instant()).compose(recorded -> {
      if (recorded.isPresent()) {
        listener.abortRequested(recorded.get().rowId(), recorded.get().shard());
        return Future.succeededFuture();
      }
      return get(id).map(record -> {
        WorkflowExecution.Phase phase = WorkflowExecution.Phase.forNumber(record.phase());
        if (Phases.isTerminal(phase)) {
          throw AdminException.failedPrecondition("execution " + Ids.describe(id)
              + " already finished (" + phase + "); there is nothing to terminate");
        }
        return null;
      });
    });
  }

  public Future<List<NodeRecord>> nodes(ExecutionIdentifier id, String afterNodeId, int limit) {
    return get(id).compose(record -> executions.nodes(record.rowId(), afterNodeId,
        Page.size(limit, options.pageSize(), options.maxPageSize())));
  }

  /** The attempts of one node, with the task the node runs. */
  public Future<NodeAttempts> attempts(ExecutionIdentifier id, String nodeId, int afterAttempt, int limit) {
    return get(id).compose(record -> registry.byRowId(Kind.WORKFLOW, record.workflowRowId())
        .compose(workflow -> {
          CompiledWorkflowClosure closure =
              Registry.parse(CompiledWorkflowClosure.parser(), workflow.closure());
          Identifier taskId = closure.getTemplate().getNodesList().stream()
              .filter(node -> node.getId().equals(nodeId)).findFirst()
              .map(WorkflowCompiler::taskOf)
              .orElseThrow(() -> AdminException.notFound("execution " + Ids.describe(id)
                  + " has no node '" + nodeId + "'"));
          return executions.attempts(record.rowId(), nodeId, afterAttempt,
                  Page.size(limit, options.pageSize(), options.maxPageSize()))
              .map(attempts -> new NodeAttempts(taskId, attempts));
        }));
  }

  /** The attempts of a node and the task it runs. */
  public record NodeAttempts(Identifier taskId, List<AttemptRecord> attempts) {}

  private Future<ExecutionIdentifier> insert(NewExecution execution) {
    return executions.insert(execution).map(rowId -> {
      listener.executionCreated(rowId, execution.shard());
      return execution.id();
    });
  }

  private int shard(ExecutionIdentifier id) {
    return shards.shardOf(id.getProject(), id.getDomain(), id.getName());
  }

  private String generatedName() {
    char[] name = new char[20];
    name[0] = NAME_CHARS[random.nextInt(26)];
    for (int i = 1; i < name.length; i++) {
      name[i] = NAME_CHARS[random.nextInt(NAME_CHARS.length)];
    }
    return new String(name);
  }
}
