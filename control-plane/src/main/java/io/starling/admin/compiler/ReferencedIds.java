package io.starling.admin.compiler;

import io.starling.proto.core.IfBlock;
import io.starling.proto.core.Identifier;
import io.starling.proto.core.Node;
import io.starling.proto.core.ResourceType;
import io.starling.proto.core.WorkflowTemplate;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a workflow template refers to, branch cases included, with each id normalised to its
 * resource type: what the registry looks up before compiling.
 */
public record ReferencedIds(Set<Identifier> tasks, Set<Identifier> workflows,
    Set<Identifier> launchPlans) {

  public static ReferencedIds of(WorkflowTemplate template) {
    ReferencedIds ids = new ReferencedIds(
        new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
    for (Node node : template.getNodesList()) {
      ids.add(node);
    }
    return ids;
  }

  /** The nodes of {@code template}, each branch case's node counted too. */
  public static int nodeCount(WorkflowTemplate template) {
    int count = 0;
    for (Node node : template.getNodesList()) {
      count += nodeCount(node);
    }
    return count;
  }

  private static int nodeCount(Node node) {
    int count = 1;
    if (node.hasBranchNode()) {
      for (IfBlock block : node.getBranchNode().getCasesList()) {
        count += nodeCount(block.getThenNode());
      }
      if (node.getBranchNode().hasElseNode()) {
        count += nodeCount(node.getBranchNode().getElseNode());
      }
    }
    return count;
  }

  private void add(Node node) {
    if (node.hasBranchNode()) {
      for (IfBlock block : node.getBranchNode().getCasesList()) {
        add(block.getThenNode());
      }
      if (node.getBranchNode().hasElseNode()) {
        add(node.getBranchNode().getElseNode());
      }
      return;
    }
    Identifier target = ClosureNodes.target(node, "");
    if (target != null) {
      switch (target.getResourceType()) {
        case WORKFLOW -> workflows.add(target);
        case LAUNCH_PLAN -> launchPlans.add(target);
        default -> tasks.add(target);
      }
    }
  }

  /** A task reference may leave resource_type unset; tasks are stored with TASK. */
  public static Identifier taskId(Identifier id) {
    return as(id, ResourceType.TASK);
  }

  static Identifier as(Identifier id, ResourceType type) {
    return id.toBuilder().setResourceType(type).build();
  }
}
