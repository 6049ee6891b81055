package io.starling.admin.compiler;

import io.starling.proto.core.CompiledSubWorkflow;
import io.starling.proto.core.CompiledWorkflowClosure;
import io.starling.proto.core.IfBlock;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the nodes of a compiled workflow by the ids executions record them under: a node of a
 * sub-workflow is {@code <sub-workflow node>.<its node>}, at any depth.
 */
public final class ClosureNodes {

  private ClosureNodes() {}

  public static Optional<Node> find(CompiledWorkflowClosure closure, String nodeId) {
    WorkflowTemplate template = closure.getTemplate();
    String[] path = nodeId.split("\\.", -1);
    for (int i = 0; ; i++) {
      Node node = byId(template.getNodesList(), path[i]);
      if (node == null || i == path.length - 1) {
        return Optional.ofNullable(node);
      }
      if (!node.hasWorkflowNode() || !node.getWorkflowNode().hasSubWorkflowRef()) {
        return Optional.empty();
      }
      Identifier sub = ReferencedIds.as(node.getWorkflowNode().getSubWorkflowRef(),
          ResourceType.WORKFLOW);
      template = closure.getSubWorkflowsList().stream().filter(s -> s.getId().equals(sub))
          .map(CompiledSubWorkflow::getTemplate).findFirst().orElse(null);
      if (template == null) {
        return Optional.empty();
      }
    }
  }

  /**
   * What a node runs: its task (task and map nodes), its launch plan or sub-workflow; for a
   * branch node, what the case it took runs ({@code branchTaken}: the case id, then the ids
   * taken in nested branches, joined by '/'). Null when there is nothing to name.
   */
  public static Identifier target(Node node, String branchTaken) {
    switch (node.getTargetCase()) {
      case TASK_NODE:
        return ReferencedIds.taskId(node.getTaskNode().getTaskId());
      case MAP_NODE:
        return ReferencedIds.taskId(node.getMapNode().getTaskId());
      case WORKFLOW_NODE:
        if (node.getWorkflowNode().hasSubWorkflowRef()) {
          return ReferencedIds.as(node.getWorkflowNode().getSubWorkflowRef(), ResourceType.WORKFLOW);
        }
        return node.getWorkflowNode().hasLaunchPlanRef()
            ? ReferencedIds.as(node.getWorkflowNode().getLaunchPlanRef(), ResourceType.LAUNCH_PLAN)
            : null;
      case BRANCH_NODE:
        List<Node> cases = new ArrayList<>();
        node.getBranchNode().getCasesList().stream().map(IfBlock::getThenNode).forEach(cases::add);
        if (node.getBranchNode().hasElseNode()) {
          cases.add(node.getBranchNode().getElseNode());
        }
        int slash = branchTaken.indexOf('/');
        Node taken = byId(cases, slash < 0 ? branchTaken : branchTaken.substring(0, slash));
        return taken == null ? null : target(taken, slash < 0 ? "" : branchTaken.substring(slash + 1));
      default:
        return null;
    }
  }

  private static Node byId(List<Node> nodes, String id) {
    for (Node node : nodes) {
      if (node.getId().equals(id)) {
        return node;
      }
    }
    return null;
  }
}
