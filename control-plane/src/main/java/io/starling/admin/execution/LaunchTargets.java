package io.starling.admin.execution;

import io.starling.admin.AdminException;
import io.starling.admin.registry.Ids;
import io.starling.admin.registry.Registry;
import io.starling.admin.store.Kind;
import io.starling.admin.store.RegistryStore;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.proto.core.TypedInterface;
import io.starling.proto.core.WorkflowTemplate;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What CreateExecution needs of a launch plan version: its spec, its workflow's row and
 * interface. Registered versions never change, so they are kept once read (at most
 * {@link #CAPACITY}, least recently used first out) and a create costs one statement, the insert.
 */
final class LaunchTargets {

  /** Enough for every launch plan a busy project launches; each entry is a few KB. */
  static final int CAPACITY = 4096;

  record LaunchTarget(long planRowId, long workflowRowId, Identifier workflowId,
      LaunchPlanSpec spec, TypedInterface workflowInterface) {}

  private final RegistryStore registry;
  private final Map<Identifier, LaunchTarget> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identifier, LaunchTarget> eldest) {
          return size() > CAPACITY;
        }
      };

  LaunchTargets(RegistryStore registry) {
    this.registry = registry;
  }

  /** The launch plan {@code planId} (already validated); NOT_FOUND when it is not registered. */
  Future<LaunchTarget> get(Identifier planId) {
    synchronized (cache) {
      LaunchTarget cached = cache.get(planId);
      if (cached != null) {
        return Future.succeededFuture(cached);
      }
    }
    return registry.find(Kind.LAUNCH_PLAN, planId).compose(plan -> {
      var stored = plan.orElseThrow(() ->
          AdminException.notFound("launch plan " + Ids.describe(planId) + " not found"));
      LaunchPlanSpec spec = Registry.parse(LaunchPlanSpec.parser(), stored.spec());
      return registry.byRowId(Kind.WORKFLOW, stored.workflowRowId()).map(workflow -> {
        WorkflowTemplate template = Registry.parse(WorkflowTemplate.parser(), workflow.spec());
        LaunchTarget target = new LaunchTarget(stored.rowId(), workflow.rowId(), workflow.id(),
            spec, template.getInterface());
        synchronized (cache) {
          cache.put(planId, target);
        }
        return target;
      });
    });
  }
}
