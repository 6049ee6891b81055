package io.starling.admin.compiler;

import io.starling.proto.core.LiteralType;
import java.util.Map;
import java.util.Set;

/**
 * The typed inputs a node binds and the outputs it produces.
 *
 * @param inputs what each input's binding must produce
 * @param required the inputs that must be bound (the others have launch-plan defaults)
 */
record Signature(Map<String, LiteralType> inputs, Set<String> required,
    Map<String, LiteralType> outputs) {}
