package io.starling.admin.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.starling.admin.AdminException;
import io.starling.admin.AdminOptions;
import io.starling.admin.Unsigned;
import io.starling.admin.compiler.ReferencedIds;
import io.starling.admin.compiler.References;
import io.starling.admin.compiler.WorkflowCompiler;
import io.starling.admin.shard.ShardMap;
import io.starling.admin.store.Kind;
import io.starling.admin.store.Page;
import io.starling.admin.store.RegistryStore;
import io.starling.admin.store.Stored;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.LaunchPlanState;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.TaskTemplate;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Versioned registration with Flyte's semantics: a version is immutable; registering the same
 * id with an identical spec succeeds and writes nothing; a different spec is ALREADY_EXISTS
 * naming the first differing field. Workflows are compiled before anything is written.
 */
public final class Registry {

  /** Most next slots ListSchedules computes per schedule. */
  public static final int MAX_SLOTS = 100;

  private final RegistryStore store;
  private final Clock clock;
  private final int pageSize;
  private final int maxPageSize;
  private final int maxWorkflowNodes;
  private final ShardMap shards;

  public Registry(RegistryStore store, Clock clock, AdminOptions options) {
    this.store = store;
    this.clock = clock;
    this.pageSize = options.pageSize();
    this.maxPageSize = options.maxPageSize();
    this.maxWorkflowNodes = options.maxWorkflowNodes();
    this.shards = options.shards();
  }

  public Future<Void> createTask(Identifier id, TaskTemplate spec) {
    Identifier valid = Ids.valid(id, ResourceType.TASK, "id");
    TaskValidator.validate(valid, spec);
    return insert(Kind.TASK, valid, spec, null, 0, TaskTemplate.parser());
  }

  public Future<Void> createWorkflow(Identifier id, WorkflowTemplate spec) {
    Identifier valid = Ids.valid(id, ResourceType.WORKFLOW, "id");
    int nodes = ReferencedIds.nodeCount(spec);
    if (nodes > maxWorkflowNodes) {
      throw AdminException.invalid("the workflow has " + nodes + " nodes; the most is "
          + maxWorkflowNodes + " (admin.max-workflow-nodes)");
    }
    ReferencedIds referenced = ReferencedIds.of(spec);
    referenced.tasks().forEach(task -> Ids.valid(task, ResourceType.TASK,
        "task reference " + task.getName()));
    referenced.workflows().forEach(workflow -> Ids.valid(workflow, ResourceType.WORKFLOW,
        "sub-workflow reference " + workflow.getName()));
    referenced.launchPlans().forEach(plan -> Ids.valid(plan, ResourceType.LAUNCH_PLAN,
        "launch plan reference " + plan.getName()));
    Future<List<Stored>> tasks = store.findAll(Kind.TASK, List.copyOf(referenced.tasks()));
    Future<List<Stored>> workflows =
        store.findAll(Kind.WORKFLOW, List.copyOf(referenced.workflows()));
    Future<List<RegistryStore.LaunchPlanRow>> plans =
        store.findLaunchPlans(List.copyOf(referenced.launchPlans()));
    return Future.all(tasks, workflows, plans).compose(all -> {
      References references = references(tasks.result(), workflows.result(), plans.result());
      CompiledWorkflowClosure closure = WorkflowCompiler.compile(valid, spec, references);
      return insert(Kind.WORKFLOW, valid, spec, closure.toByteArray(), 0, WorkflowTemplate.parser());
    });
  }

  private static References references(List<Stored> tasks, List<Stored> workflows,
      List<RegistryStore.LaunchPlanRow> plans) {
    Map<Identifier, TaskTemplate> taskTemplates = new HashMap<>();
    tasks.forEach(task -> taskTemplates.put(task.id(), parse(TaskTemplate.parser(), task.spec())));
    Map<Identifier, CompiledWorkflowClosure> closures = new HashMap<>();
    workflows.forEach(workflow -> closures.put(workflow.id(),
        parse(CompiledWorkflowClosure.parser(), workflow.closure())));
    Map<Identifier, References.LaunchPlanTarget> targets = new HashMap<>();
    plans.forEach(plan -> targets.put(plan.plan().id(), new References.LaunchPlanTarget(
        parse(LaunchPlanSpec.parser(), plan.plan().spec()),
        parse(CompiledWorkflowClosure.parser(), plan.workflowClosure()))));
    return new References(taskTemplates, closures, targets);
  }

  /**
   * Registers a launch plan; FAILED_PRECONDITION when no replica group serves its project and
   * domain, for none could run its executions.
   */
  public Future<Void> createLaunchPlan(Identifier id, LaunchPlanSpec spec) {
    Identifier valid = Ids.valid(id, ResourceType.LAUNCH_PLAN, "id");
    if (shards.groupOf(valid.getProject(), valid.getDomain()).isEmpty()) {
      throw AdminException.failedPrecondition("launch plan " + Ids.describe(valid) + ": "
          + shards.unserved(valid.getProject(), valid.getDomain()));
    }
    Identifier workflowId = Ids.valid(spec.getWorkflowId(), ResourceType.WORKFLOW, "spec.workflow_id");
    return store.find(Kind.WORKFLOW, workflowId).compose(workflow -> {
      if (workflow.isEmpty()) {
        throw AdminException.invalid("spec.workflow_id: workflow " + Ids.describe(workflowId)
            + " is not registered");
      }
      LaunchPlanSpec normalized = spec.toBuilder().setWorkflowId(workflowId).build();
      LaunchPlanValidator.validate(normalized,
          parse(WorkflowTemplate.parser(), workflow.get().spec()).getInterface());
      return insert(Kind.LAUNCH_PLAN, valid, normalized, null, workflow.get().rowId(),
          LaunchPlanSpec.parser());
    });
  }

  /**
   * Fails, naming them, when launch plans are registered in projects or domains that no
   * replica group serves: the shard groups were changed since, and their executions would
   * never run.
   */
  public Future<Void> checkServed() {
    return store.launchPlanScopes().map(scopes -> {
      Set<String> unserved = new TreeSet<>();
      for (RegistryStore.Scope scope : scopes) {
        if (shards.groupOf(scope.project(), scope.domain()).isEmpty()) {
          unserved.add(shards.entityOf(scope.project(), scope.domain()));
        }
      }
      if (!unserved.isEmpty()) {
        throw new IllegalStateException(shards.unserved(unserved)
            + "; launch plans are registered there, and their executions would never run");
      }
      return null;
    });
  }

  /**
   * Activates or deactivates one version. Activating places the version's schedule, if it has
   * one, on the shard of the launch plan's name (every version of a name on the same one, so
   * one owner fires whichever is active), and deactivates the other versions in the same
   * transaction.
   */
  public Future<Void> updateLaunchPlan(Identifier id, LaunchPlanState state) {
    Identifier valid = Ids.valid(id, ResourceType.LAUNCH_PLAN, "id");
    if (state != LaunchPlanState.ACTIVE && state != LaunchPlanState.INACTIVE) {
      throw AdminException.invalid("state must be ACTIVE or INACTIVE, got " + state);
    }
    Future<Boolean> updated = state == LaunchPlanState.ACTIVE
        ? get(Kind.LAUNCH_PLAN, valid).compose(plan -> store.activate(valid, clock.instant(),
            scheduleShard(valid, parse(LaunchPlanSpec.parser(), plan.spec()))))
        : store.deactivate(valid, clock.instant());
    return updated.map(found -> {
      if (!found) {
        throw AdminException.notFound("launch plan " + Ids.describe(valid) + " not found");
      }
      return null;
    });
  }

  private Integer scheduleShard(Identifier id, LaunchPlanSpec spec) {
    if (!spec.hasSchedule()) {
      return null;
    }
    return shards.groupOf(id.getProject(), id.getDomain())
        .map(group -> shards.shardOf(group, id.getProject(), id.getDomain(), id.getName()))
        .orElseThrow(() -> AdminException.failedPrecondition("launch plan " + Ids.describe(id)
            + ": " + shards.unserved(id.getProject(), id.getDomain())));
  }

  /**
   * Places the schedules of versions that were activated before schedules fired (they have no
   * shard), as if activated now: they fire from now on. Returns how many.
   */
  public Future<Integer> placeSchedules() {
    return store.unplacedActive().compose(plans -> {
      List<Long> rowIds = new ArrayList<>();
      List<Integer> placed = new ArrayList<>();
      for (Stored plan : plans) {
        LaunchPlanSpec spec = parse(LaunchPlanSpec.parser(), plan.spec());
        if (spec.hasSchedule() && shards.groupOf(plan.id().getProject(), plan.id().getDomain())
            .isPresent()) {
          rowIds.add(plan.rowId());
          placed.add(scheduleShard(plan.id(), spec));
        }
      }
      return rowIds.isEmpty() ? Future.succeededFuture(0)
          : store.place(rowIds, placed, clock.instant()).map(rowIds.size());
    });
  }

  /** The active version of each launch plan of a project and domain, by name. */
  public Future<Page<Stored>> listActive(String project, String domain, int limit,
      String token) {
    Ids.name(project, "project");
    Ids.name(domain, "domain");
    return byName(limit, token, (after, size) -> store.listActive(project, domain, after, size),
        plan -> plan.id().getName());
  }

  /**
   * The schedules of a project and domain (active versions that have one, placed), by name,
   * each with its next {@code slots} slots (0 means 1; at most {@link #MAX_SLOTS}) after the
   * admin's now.
   */
  public Future<Page<ScheduledPlan>> listSchedules(String project, String domain, int slots,
      int limit, String token) {
    Ids.name(project, "project");
    Ids.name(domain, "domain");
    int count = Math.max(1, Unsigned.inRange(slots, 0, MAX_SLOTS, "slots"));
    Instant now = clock.instant();
    return byName(limit, token, (after, size) -> store.listScheduled(project, domain, after, size)
            .map(rows -> rows.stream().map(row -> ScheduledPlan.of(row, now, count)).toList()),
        scheduled -> scheduled.plan().id().getName());
  }

  /** A page of items ordered by name: {@code fetch} takes the name to start after and a size. */
  private <T> Future<Page<T>> byName(int limit, String token,
      BiFunction<String, Integer, Future<List<T>>> fetch, Function<T, String> name) {
    String after = Page.key(token);
    int size = Page.size(limit, pageSize, maxPageSize);
    return fetch.apply(after, size).map(items -> new Page<>(items,
        items.size() < size ? "" : Page.keyToken(name.apply(items.get(items.size() - 1)))));
  }

  public Future<Stored> get(Kind kind, Identifier id) {
    Identifier valid = Ids.valid(id, kind.resourceType(), "id");
    return store.find(kind, valid).map(found -> found.orElseThrow(() ->
        AdminException.notFound(kind.noun() + " " + Ids.describe(valid) + " not found")));
  }

  public Future<Page<Stored>> list(Kind kind, String project, String domain, String name,
      int limit, String token) {
    Ids.name(project, "project");
    Ids.name(domain, "domain");
    if (!name.isEmpty()) {
      Ids.name(name, "name");
    }
    int size = Page.size(limit, pageSize, maxPageSize);
    return store.list(kind, project, domain, name, Page.rowId(token), size).map(items ->
        new Page<>(items, items.size() < size ? "" : Page.token(items.get(items.size() - 1).rowId())));
  }

  private <T extends Message> Future<Void> insert(Kind kind, Identifier id, T spec,
      byte[] closure, long workflowRowId, Parser<T> parser) {
    return store.insert(kind, id, spec.toByteArray(), closure, workflowRowId, clock.instant())
        .map((Optional<Stored> existing) -> {
          if (existing.isPresent()) {
            String difference = SpecDiff.firstDifference(parse(parser, existing.get().spec()), spec);
            if (difference != null) {
              throw AdminException.alreadyExists(kind.noun() + " " + Ids.describe(id)
                  + " is already registered with a different spec: spec." + difference
                  + " differs; register a new version instead");
            }
          }
          return null;
        });
  }

  /** Parses a stored message; a stored message that does not parse is a corrupt database. */
  public static <T> T parse(Parser<T> parser, byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt stored message: " + e.getMessage(), e);
    }
  }
}
