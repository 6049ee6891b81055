package io.starling.propeller.graph;

import io.starling.proto.core.Binding;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BindingDataCollection;
import io.starling.proto.core.BindingDataMap;
import io.starling.proto.core.BranchNode;
import io.starling.proto.core.CompiledSubWorkflow;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Node;
import io.starling.proto.core.NodeIdList;
import io.starling.proto.core.OutputReference;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flattens a closure's sub-workflows into one list of nodes. A sub-workflow node {@code s}
 * becomes the sub-workflow's nodes, renamed {@code s.<id>}, plus an output node {@code s} that
 * waits for them; inside, a reference to a sub-workflow input becomes the binding {@code s}
 * had for it, so values flow without copies. Inner nodes with no inner upstream wait for what
 * {@code s} waited for.
 */
final class Inliner {

  /**
   * One node of the flattened workflow; for a sub-workflow's output node, {@code node} has no
   * target and its inputs are the sub-workflow's output bindings.
   */
  record FlatNode(String id, Node node, List<String> upstream) {}

  private final Map<Identifier, CompiledSubWorkflow> subWorkflows = new HashMap<>();
  private final List<FlatNode> flat = new ArrayList<>();

  private Inliner(CompiledWorkflowClosure closure) {
    for (CompiledSubWorkflow sub : closure.getSubWorkflowsList()) {
      subWorkflows.put(sub.getId(), sub);
    }
  }

  static List<FlatNode> flatten(CompiledWorkflowClosure closure) {
    Inliner inliner = new Inliner(closure);
    inliner.add("", closure.getTemplate(), closure.getUpstreamMap(), null, List.of());
    return inliner.flat;
  }

  /**
   * Adds the nodes of {@code template} under {@code prefix}; {@code inputs} maps the
   * template's workflow inputs to bindings of the enclosing workflow (null at the top).
   */
  private void add(String prefix, WorkflowTemplate template, Map<String, NodeIdList> upstreamMap,
      Map<String, BindingData> inputs, List<String> outerUpstream) {
    for (Node node : template.getNodesList()) {
      String id = prefix + node.getId();
      List<String> upstream = new ArrayList<>();
      NodeIdList inner = upstreamMap.get(node.getId());
      if (inner != null) {
        inner.getIdsList().forEach(up -> upstream.add(prefix + up));
      }
      if (upstream.isEmpty()) {
        upstream.addAll(outerUpstream);
      }
      Node rewritten = rewrite(node, prefix, inputs);
      if (node.hasWorkflowNode() && node.getWorkflowNode().hasSubWorkflowRef()) {
        inline(id, rewritten, upstream);
      } else {
        flat.add(new FlatNode(id, rewritten, upstream));
      }
    }
  }

  private void inline(String id, Node node, List<String> upstream) {
    Identifier ref = node.getWorkflowNode().getSubWorkflowRef().toBuilder()
        .setResourceType(ResourceType.WORKFLOW).build();
    CompiledSubWorkflow sub = subWorkflows.get(ref);
    if (sub == null) {
      throw new IllegalArgumentException("node " + id + ": sub-workflow not in the closure");
    }
    Map<String, BindingData> inputs = new HashMap<>();
    node.getInputsList().forEach(binding -> inputs.put(binding.getVar(), binding.getBinding()));
    String prefix = id + ".";
    add(prefix, sub.getTemplate(), sub.getUpstreamMap(), inputs, upstream);
    List<String> outputUpstream = new ArrayList<>(upstream);
    sub.getTemplate().getNodesList().forEach(inner -> outputUpstream.add(prefix + inner.getId()));
    Node outputs = Node.newBuilder().setId(id).setMetadata(node.getMetadata())
        .addAllInputs(rewrite(sub.getTemplate().getOutputsList(), prefix, inputs)).build();
    flat.add(new FlatNode(id, outputs, outputUpstream));
  }

  private static Node rewrite(Node node, String prefix, Map<String, BindingData> inputs) {
    if (prefix.isEmpty()) {
      return node;
    }
    Node.Builder builder = node.toBuilder().clearInputs()
        .addAllInputs(rewrite(node.getInputsList(), prefix, inputs));
    if (node.hasBranchNode()) {
      BranchNode.Builder branch = node.getBranchNode().toBuilder().clearCases();
      for (IfBlock block : node.getBranchNode().getCasesList()) {
        branch.addCases(block.toBuilder().setThenNode(rewrite(block.getThenNode(), prefix, inputs)));
      }
      if (node.getBranchNode().hasElseNode()) {
        branch.setElseNode(rewrite(node.getBranchNode().getElseNode(), prefix, inputs));
      }
      builder.setBranchNode(branch);
    }
    return builder.build();
  }

  private static List<Binding> rewrite(List<Binding> bindings, String prefix,
      Map<String, BindingData> inputs) {
    List<Binding> rewritten = new ArrayList<>(bindings.size());
    for (Binding binding : bindings) {
      rewritten.add(binding.toBuilder().setBinding(rewrite(binding.getBinding(), prefix, inputs))
          .build());
    }
    return rewritten;
  }

  private static BindingData rewrite(BindingData data, String prefix,
      Map<String, BindingData> inputs) {
    switch (data.getValueCase()) {
      case WORKFLOW_INPUT: {
        BindingData outer = inputs.get(data.getWorkflowInput());
        if (outer == null) {
          throw new IllegalArgumentException("sub-workflow input '" + data.getWorkflowInput()
              + "' is not bound");
        }
        return outer;
      }
      case PROMISE:
        return BindingData.newBuilder().setPromise(OutputReference.newBuilder()
            .setNodeId(prefix + data.getPromise().getNodeId())
            .setVar(data.getPromise().getVar())).build();
      case COLLECTION: {
        BindingDataCollection.Builder items = BindingDataCollection.newBuilder();
        data.getCollection().getBindingsList()
            .forEach(item -> items.addBindings(rewrite(item, prefix, inputs)));
        return BindingData.newBuilder().setCollection(items).build();
      }
      case MAP: {
        BindingDataMap.Builder entries = BindingDataMap.newBuilder();
        data.getMap().getBindingsMap()
            .forEach((key, item) -> entries.putBindings(key, rewrite(item, prefix, inputs)));
        return BindingData.newBuilder().setMap(entries).build();
      }
      default:
        return data;
    }
  }
}
