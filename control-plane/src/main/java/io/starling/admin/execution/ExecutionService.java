package io.starling.admin.execution;

import com.google.protobuf.util.Timestamps;
import io.starling.admin.AdminException;
import io.starling.admin.AdminOptions;
import io.starling.admin.Fields;
import io.starling.admin.ExecutionListener;
import io.starling.admin.compiler.ClosureNodes;
import io.starling.admin.registry.Ids;
import io.starling.admin.registry.Registry;
import io.starling.admin.shard.ShardGroup;
import io.starling.admin.shard.ShardMap;
import io.starling.admin.store.AttemptRecord;
import io.starling.admin.store.ExecutionRecord;
import io.starling.admin.store.ExecutionStore;
import io.starling.admin.store.Kind;
import io.starling.admin.store.NewExecution;
import io.starling.admin.store.NodeRecord;
import io.starling.admin.store.Page;
import io.starling.admin.store.RegistryStore;
import io.starling.proto.Phases;
import io.starling.proto.Quote;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.ExecutionIdentifier;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowExecution;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Executions: creation (inputs resolved against the launch plan, one row in one statement,
 * idempotent by name), reads, termination requests, relaunches and recoveries. After a row
 * commits the {@link ExecutionListener} is told, so the owning propeller starts at once.
 */
public final class ExecutionService {

  /** The longest cause of a termination kept with the execution. */
  private static final int MAX_CAUSE_CHARS = 1000;

  /** ExecutionSpec.Mode values, as stored. */
  // The numbers of the contract's ExecutionSpec.Mode (ExecutionModesTest holds them to it).
  static final int MANUAL = 0;
  static final int SCHEDULED = 1;
  static final int RELAUNCH = 2;
  static final int RECOVERED = 3;
  static final int CHILD = 4;

  private static final char[] NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final RegistryStore registry;
  private final ExecutionStore executions;
  private final AdminOptions options;
  private final ShardMap shards;
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
    this.shards = options.shards();
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
    int shard = shard(id);
    if (inputs.getSerializedSize() > options.maxInputBytes()) {
      throw AdminException.invalid("inputs are " + inputs.getSerializedSize()
          + " bytes; the most an execution takes is " + options.maxInputBytes()
          + " (admin.max-input-bytes)");
    }
    return launchTargets.get(planId).compose(target -> {
      LaunchPlanSpec spec = target.spec();
      LiteralMap resolved = InputResolver.resolve(spec, target.workflowInterface(), inputs,
          Ids.describe(target.workflowId()));
      int parallelism = maxParallelism != null ? maxParallelism
          : spec.hasMaxParallelism() ? spec.getMaxParallelism() : options.maxParallelism();
      return insert(new NewExecution(id, target.planRowId(), target.workflowRowId(), shard,
          MANUAL, 0, parallelism, resolved.toByteArray(), clock.instant()));
    });
  }

  /** What became of a scheduled slot's execution. */
  public enum Scheduled {
    /** Created now. */
    CREATED,
    /** An execution of that name exists: the slot fired before. */
    EXISTED,
    /** The version is no longer active, checked in the statement that would insert. */
    INACTIVE
  }

  /**
   * Creates the execution of one slot of an active launch plan's schedule, named {@code name}
   * (the scheduler derives it from the plan and the slot), with the slot as its kickoff-time
   * input when the schedule names one. A deactivated version never fires again: the insert
   * checks that it is active. Fails with an {@link AdminException} when the launch plan cannot
   * make the execution (its inputs, its project unserved).
   */
  public Future<Scheduled> createScheduled(Identifier launchPlanId, String name,
      Instant scheduledAt) {
    Identifier planId = Ids.valid(launchPlanId, ResourceType.LAUNCH_PLAN, "launch_plan");
    ExecutionIdentifier id = ExecutionIdentifier.newBuilder().setProject(planId.getProject())
        .setDomain(planId.getDomain()).setName(Ids.executionName(name, "name")).build();
    int shard = shard(id);
    return launchTargets.get(planId).compose(target -> {
      LaunchPlanSpec spec = target.spec();
      String kickoff = spec.getSchedule().getKickoffTimeInputArg();
      LiteralMap inputs = kickoff.isEmpty() ? LiteralMap.getDefaultInstance()
          : LiteralMap.newBuilder().putLiterals(kickoff, Literal.newBuilder()
              .setDatetime(Timestamps.fromMillis(scheduledAt.toEpochMilli())).build()).build();
      LiteralMap resolved = InputResolver.resolve(spec, target.workflowInterface(), inputs,
          Ids.describe(target.workflowId()));
      int parallelism = spec.hasMaxParallelism() ? spec.getMaxParallelism()
          : options.maxParallelism();
      NewExecution execution = new NewExecution(id, target.planRowId(), target.workflowRowId(),
          shard, SCHEDULED, 0, parallelism, resolved.toByteArray(), clock.instant(), 0, null, 0,
          scheduledAt);
      return executions.insertScheduled(execution).map(rowId -> {
        rowId.ifPresent(row -> listener.executionCreated(row, shard));
        return rowId.isPresent() ? Scheduled.CREATED : Scheduled.INACTIVE;
      });
    }).recover(error -> error instanceof AdminException e
        && e.code() == AdminException.Code.ALREADY_EXISTS
        ? Future.succeededFuture(Scheduled.EXISTED) : Future.failedFuture(error));
  }

  /**
   * Creates the child execution of one attempt of a launch-plan node, in the parent's project
   * and domain, under a name derived from the parent, node and attempt; when that child exists
   * already (the propeller restarted), returns it. INVALID_ARGUMENT when the launch plan
   * rejects the inputs or the child would be nested deeper than {@code admin.max-nesting}.
   * Returns the child's row id.
   */
  public Future<Long> createChild(long parentRowId, String nodeId, int attempt,
      Identifier launchPlanId, LiteralMap inputs) {
    return executions.byRowId(parentRowId).compose(found -> {
      ExecutionRecord parent = found.orElseThrow(() ->
          AdminException.notFound("parent execution " + parentRowId + " not found"));
      if (parent.nesting() >= options.maxNesting()) {
        throw AdminException.invalid("launch plan " + Ids.describe(launchPlanId) + " would run "
            + (parent.nesting() + 1) + " levels deep; the most is " + options.maxNesting()
            + " (admin.max-nesting); does the workflow call itself through launch plans?");
      }
      ExecutionIdentifier id = parent.id().toBuilder()
          .setName(ChildNames.of(parent.id(), nodeId, attempt)).build();
      return launchTargets.get(Ids.valid(launchPlanId, ResourceType.LAUNCH_PLAN, "launch_plan"))
          .compose(target -> {
            LaunchPlanSpec spec = target.spec();
            LiteralMap resolved = InputResolver.resolve(spec, target.workflowInterface(), inputs,
                Ids.describe(target.workflowId()));
            int parallelism = spec.hasMaxParallelism() ? spec.getMaxParallelism()
                : options.maxParallelism();
            NewExecution child = new NewExecution(id, target.planRowId(), target.workflowRowId(),
                shard(id), CHILD, 0, parallelism, resolved.toByteArray(), clock.instant(),
                parentRowId, nodeId, parent.nesting() + 1, null);
            return executions.insert(child).map(rowId -> {
              listener.executionCreated(rowId, child.shard());
              return rowId;
            });
          })
          .recover(error -> error instanceof AdminException e
              && e.code() == AdminException.Code.ALREADY_EXISTS
              ? existingChild(id, parentRowId) : Future.failedFuture(error));
    });
  }

  private Future<Long> existingChild(ExecutionIdentifier id, long parentRowId) {
    return executions.find(id).map(found -> found
        .filter(child -> child.parentRowId() == parentRowId)
        .map(ExecutionRecord::rowId)
        .orElseThrow(() -> AdminException.alreadyExists("execution " + Ids.describe(id)
            + " exists and is not a child of execution " + parentRowId)));
  }

  /** The execution with this row id. */
  public Future<ExecutionRecord> byRowId(long rowId) {
    return executions.byRowId(rowId).map(found -> found.orElseThrow(() ->
        AdminException.notFound("execution " + rowId + " not found")));
  }

  /** The executions of these row ids that exist, in one query. */
  public Future<List<ExecutionRecord>> byRowIds(Collection<Long> rowIds) {
    return executions.byRowIds(rowIds.toArray(new Long[0]));
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
    String why = cause.isBlank() ? "terminated by request"
        : Fields.text(cause, MAX_CAUSE_CHARS, "cause");
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

  public Future<Page<NodeRecord>> nodes(ExecutionIdentifier id, String token, int limit) {
    String after = Page.key(token);
    int size = Page.size(limit, options.pageSize(), options.maxPageSize());
    return get(id).compose(record -> executions.nodes(record.rowId(), after, size))
        .map(nodes -> new Page<>(nodes, nodes.size() == size
            ? Page.keyToken(nodes.get(size - 1).nodeId()) : ""));
  }

  /** One node of execution {@code id}; NOT_FOUND until it has started. */
  public Future<NodeRecord> node(ExecutionIdentifier id, String nodeId) {
    if (nodeId.isEmpty()) {
      throw AdminException.invalid("id.node_id is required");
    }
    return get(id).compose(record -> executions.node(record.rowId(), nodeId))
        .map(found -> found.orElseThrow(() -> AdminException.notFound("execution "
            + Ids.describe(id) + " has no node " + Quote.of(nodeId) + " that has started")));
  }

  /**
   * The attempts of one node, with what the node runs: its task or launch plan; for a branch
   * node, what the case it took runs.
   */
  public Future<NodeAttempts> attempts(ExecutionIdentifier id, String nodeId, String token,
      int limit) {
    int afterAttempt = token.isEmpty() ? -1 : attemptOf(token);
    int size = Page.size(limit, options.pageSize(), options.maxPageSize());
    return get(id).compose(record -> registry.byRowId(Kind.WORKFLOW, record.workflowRowId())
        .compose(workflow -> {
          CompiledWorkflowClosure closure =
              Registry.parse(CompiledWorkflowClosure.parser(), workflow.closure());
          Node node = ClosureNodes.find(closure, nodeId).orElseThrow(() -> AdminException.notFound(
              "execution " + Ids.describe(id) + " has no node " + Quote.of(nodeId)));
          Future<String> taken = node.hasBranchNode()
              ? executions.branchTaken(record.rowId(), nodeId).map(path -> path.orElse(""))
              : Future.succeededFuture("");
          return taken.compose(path -> executions.attempts(record.rowId(), nodeId, afterAttempt,
                  size)
              .map(attempts -> new NodeAttempts(ClosureNodes.target(node, path), attempts,
                  attempts.size() == size ? Page.token(attempts.get(size - 1).attempt()) : "")));
        }));
  }

  private static int attemptOf(String token) {
    long attempt = Page.rowId(token);
    if (attempt < 0 || attempt > Integer.MAX_VALUE) {
      throw AdminException.invalid("token " + Quote.of(token) + " is not a token from a previous page");
    }
    return (int) attempt;
  }

  /**
   * The attempts of a node (a page of them) and what it runs (null when nothing can be named
   * yet); {@code nextToken} is empty on the last page.
   */
  public record NodeAttempts(Identifier taskId, List<AttemptRecord> attempts, String nextToken) {}

  private Future<ExecutionIdentifier> insert(NewExecution execution) {
    return executions.insert(execution).map(rowId -> {
      listener.executionCreated(rowId, execution.shard());
      return execution.id();
    });
  }

  private int shard(ExecutionIdentifier id) {
    ShardGroup group = shards.groupOf(id.getProject(), id.getDomain()).orElseThrow(() ->
        AdminException.failedPrecondition(shards.unserved(id.getProject(), id.getDomain())));
    return shards.shardOf(group, id.getProject(), id.getDomain(), id.getName());
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
