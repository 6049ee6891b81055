package io.starling.propeller.graph;

import com.google.protobuf.util.Durations;
import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.CompiledTask;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.MapNode;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.TaskMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link CompiledWorkflowClosure} (validated by the admin at registration) into an
 * {@link ExecutionGraph}. A closure that breaks the compiler's guarantees is a corrupt record,
 * reported as {@link IllegalArgumentException}.
 */
public final class GraphCompiler {

  private GraphCompiler() {}

  public static ExecutionGraph compile(CompiledWorkflowClosure closure) {
    List<Node> nodes = closure.getTemplate().getNodesList();
    Map<String, Integer> indexes = new HashMap<>(nodes.size() * 2);
    for (int i = 0; i < nodes.size(); i++) {
      indexes.put(nodes.get(i).getId(), i);
    }
    Map<Identifier, CompiledTask> tasks = new HashMap<>();
    for (CompiledTask task : closure.getTasksList()) {
      tasks.put(task.getId(), task);
    }

    NodeSpec[] specs = new NodeSpec[nodes.size()];
    int[] upstreamCounts = new int[nodes.size()];
    List<List<Integer>> downstream = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      downstream.add(new ArrayList<>(2));
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      specs[i] = nodeSpec(i, node, tasks, indexes);
      NodeIdList upstream = closure.getUpstreamMap().get(node.getId());
      if (upstream != null) {
        for (String id : upstream.getIdsList()) {
          downstream.get(index(indexes, id)).add(i);
          upstreamCounts[i]++;
        }
      }
    }
    int[][] edges = new int[nodes.size()][];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = downstream.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return new ExecutionGraph(
        specs,
        indexes,
        edges,
        upstreamCounts,
        bindings(closure.getTemplate().getOutputsList(), indexes),
        closure.getTemplate().getMetadata().getOnFailure());
  }

  private static NodeSpec nodeSpec(
      int index, Node node, Map<Identifier, CompiledTask> tasks, Map<String, Integer> indexes) {
    Identifier taskId;
    MapSpec map = null;
    if (node.hasTaskNode()) {
      taskId = normalized(node.getTaskNode().getTaskId());
    } else if (node.hasMapNode()) {
      MapNode mapNode = node.getMapNode();
      taskId = normalized(mapNode.getTaskId());
      map = new MapSpec(
          mapNode.getConcurrency(),
          Set.copyOf(mapNode.getBroadcastInputsList()),
          mapNode.hasMinSuccessRatio() ? mapNode.getMinSuccessRatio() : 1.0,
          mapNode.hasMinSuccesses() ? mapNode.getMinSuccesses() : -1);
    } else {
      throw new IllegalArgumentException("node " + node.getId() + " has no task");
    }
    CompiledTask task = tasks.get(taskId);
    if (task == null) {
      throw new IllegalArgumentException("node " + node.getId() + ": task not in the closure");
    }
    TaskMetadata metadata = task.getTemplate().getMetadata();
    int retries = node.getMetadata().hasRetries()
        ? node.getMetadata().getRetries()
        : metadata.getRetries().getRetries();
    Duration timeout = node.getMetadata().hasTimeout()
        ? duration(node.getMetadata().getTimeout())
        : duration(metadata.getTimeout());
    return new NodeSpec(
        index,
        node.getId(),
        taskId,
        task.getTemplate(),
        map,
        bindings(node.getInputsList(), indexes),
        retries,
        timeout,
        duration(metadata.getRetries().getBackoff()));
  }

  /** Task references may leave resource_type unset; the closure's tasks always carry TASK. */
  private static Identifier normalized(Identifier id) {
    return id.toBuilder().setResourceType(io.starling.proto.core.ResourceType.TASK).build();
  }

  private static Map<String, CompiledBinding> bindings(
      List<Binding> bindings, Map<String, Integer> indexes) {
    Map<String, CompiledBinding> result = new LinkedHashMap<>(bindings.size() * 2);
    for (Binding binding : bindings) {
      result.put(binding.getVar(), binding(binding.getBinding(), indexes));
    }
    return result;
  }

  private static CompiledBinding binding(BindingData data, Map<String, Integer> indexes) {
    switch (data.getValueCase()) {
      case LITERAL:
        return new CompiledBinding.Constant(data.getLiteral());
      case WORKFLOW_INPUT:
        return new CompiledBinding.WorkflowInput(data.getWorkflowInput());
      case PROMISE:
        return new CompiledBinding.Promise(
            index(indexes, data.getPromise().getNodeId()), data.getPromise().getVar());
      case COLLECTION: {
        List<CompiledBinding> items = new ArrayList<>(data.getCollection().getBindingsCount());
        for (BindingData item : data.getCollection().getBindingsList()) {
          items.add(binding(item, indexes));
        }
        return new CompiledBinding.Collection(items);
      }
      case MAP: {
        Map<String, CompiledBinding> entries = new LinkedHashMap<>();
        data.getMap().getBindingsMap().forEach((k, v) -> entries.put(k, binding(v, indexes)));
        return new CompiledBinding.MapOf(entries);
      }
      default:
        throw new IllegalArgumentException("binding without a value");
    }
  }

  private static int index(Map<String, Integer> indexes, String nodeId) {
    Integer index = indexes.get(nodeId);
    if (index == null) {
      throw new IllegalArgumentException("unknown node " + nodeId);
    }
    return index;
  }

  private static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofMillis(Durations.toMillis(d));
  }
}
