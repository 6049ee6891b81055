package io.starling.propeller.round;

import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.propeller.graph.CompiledBinding;
import java.util.Map;

/** Computes the values of bindings from the workflow's inputs and upstream outputs. */
final class BindingResolver {

  private BindingResolver() {}

  static LiteralMap resolve(Map<String, CompiledBinding> bindings, ExecutionState state) {
    LiteralMap.Builder values = LiteralMap.newBuilder();
    bindings.forEach((var, binding) -> values.putLiterals(var, resolve(binding, state)));
    return values.build();
  }

  static Literal resolve(CompiledBinding binding, ExecutionState state) {
    if (binding instanceof CompiledBinding.Constant constant) {
      return constant.value();
    } else if (binding instanceof CompiledBinding.WorkflowInput input) {
      Literal value = state.inputs.getLiteralsMap().get(input.name());
      if (value == null) {
        throw new IllegalStateException("workflow input '" + input.name() + "' has no value");
      }
      return value;
    } else if (binding instanceof CompiledBinding.Promise promise) {
      LiteralMap upstream = state.outputs[promise.node()];
      Literal value = upstream == null ? null : upstream.getLiteralsMap().get(promise.var());
      if (value == null) {
        throw new IllegalStateException("node " + state.graph.node(promise.node()).id()
            + " has no output '" + promise.var() + "'");
      }
      return value;
    } else if (binding instanceof CompiledBinding.Collection collection) {
      LiteralCollection.Builder items = LiteralCollection.newBuilder();
      for (CompiledBinding item : collection.items()) {
        items.addLiterals(resolve(item, state));
      }
      return Literal.newBuilder().setCollection(items).build();
    } else {
      LiteralMap.Builder entries = LiteralMap.newBuilder();
      ((CompiledBinding.MapOf) binding).entries()
          .forEach((key, item) -> entries.putLiterals(key, resolve(item, state)));
      return Literal.newBuilder().setMap(entries).build();
    }
  }
}
