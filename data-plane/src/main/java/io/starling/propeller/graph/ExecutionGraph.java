package io.starling.propeller.graph;

import io.starling.proto.core.WorkflowMetadata.OnFailurePolicy;
import java.util.Map;

/**
 * The immutable, index-based form of a compiled workflow. Nodes are numbered 0..n-1; edges are
 * kept as arrays so that a round touches only the nodes that changed: when a node succeeds,
 * the round walks {@link #downstream(int)} and decrements each successor's pending count.
 *
 * <p>One graph is shared by every execution of the same workflow version.
 */
public final class ExecutionGraph {

  private final NodeSpec[] nodes;
  private final int[][] downstream;
  private final int[] upstreamCounts;
  private final Map<String, CompiledBinding> outputs;
  private final OnFailurePolicy onFailure;
  private final Map<String, Integer> indexes;

  ExecutionGraph(
      NodeSpec[] nodes,
      Map<String, Integer> indexes,
      int[][] downstream,
      int[] upstreamCounts,
      Map<String, CompiledBinding> outputs,
      OnFailurePolicy onFailure) {
    this.nodes = nodes;
    this.indexes = indexes;
    this.downstream = downstream;
    this.upstreamCounts = upstreamCounts;
    this.outputs = outputs;
    this.onFailure = onFailure;
  }

  public int size() {
    return nodes.length;
  }

  public NodeSpec node(int index) {
    return nodes[index];
  }

  /** The index of the node with this id. */
  public int indexOf(String nodeId) {
    Integer index = indexes.get(nodeId);
    if (index == null) {
      throw new IllegalArgumentException("no node " + nodeId + " in this workflow");
    }
    return index;
  }

  /** Indexes of the nodes that wait for {@code index}. */
  public int[] downstream(int index) {
    return downstream[index];
  }

  /** How many nodes {@code index} waits for. */
  public int upstreamCount(int index) {
    return upstreamCounts[index];
  }

  /** Bindings of the workflow's outputs. */
  public Map<String, CompiledBinding> outputs() {
    return outputs;
  }

  public OnFailurePolicy onFailure() {
    return onFailure;
  }
}
