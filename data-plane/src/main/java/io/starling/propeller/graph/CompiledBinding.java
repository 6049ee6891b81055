package io.starling.propeller.graph;

import io.starling.proto.core.Literal;
import java.util.List;
import java.util.Map;

/**
 * Where one value comes from, with node references already resolved to node indexes, so that
 * resolving a binding during a round is a few array lookups.
 */
public sealed interface CompiledBinding {

  /** A constant. */
  record Constant(Literal value) implements CompiledBinding {}

  /** An input of the workflow. */
  record WorkflowInput(String name) implements CompiledBinding {}

  /** An output of the node at {@code node}. */
  record Promise(int node, String var) implements CompiledBinding {}

  /** A list of bindings. */
  record Collection(List<CompiledBinding> items) implements CompiledBinding {}

  /** A string-keyed map of bindings. */
  record MapOf(Map<String, CompiledBinding> entries) implements CompiledBinding {}
}
