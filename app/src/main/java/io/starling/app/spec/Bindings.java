package io.starling.app.spec;

import io.starling.proto.LiteralJson;
import io.starling.proto.core.BindingData;
import io.starling.proto.core.BindingDataCollection;
import io.starling.proto.core.BindingDataMap;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.OutputReference;
import io.vertx.core.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the value of a node input or workflow output in a spec: {@code "{{inputs.a}}"} is a
 * workflow input, {@code "{{node.output}}"} an upstream output, a list or map is read item by
 * item (so it may mix references and constants), anything else is a constant of the type.
 * Without a type (a branch input, an input of a launch plan or of a workflow defined elsewhere)
 * a constant takes the type of its JSON value: integer, float, string or boolean.
 */
final class Bindings {

  private static final Pattern REFERENCE =
      Pattern.compile("\\{\\{\\s*([A-Za-z0-9_-]+)\\.([A-Za-z0-9_]+)\\s*}}");

  private Bindings() {}

  static BindingData read(JsonNode value, LiteralType type, String path) {
    if (value.isTextual()) {
      Matcher reference = REFERENCE.matcher(value.asText().strip());
      if (reference.matches()) {
        return reference.group(1).equals("inputs")
            ? BindingData.newBuilder().setWorkflowInput(reference.group(2)).build()
            : BindingData.newBuilder().setPromise(OutputReference.newBuilder()
                .setNodeId(reference.group(1)).setVar(reference.group(2))).build();
      }
    }
    if (type == null) {
      return untyped(value, path);
    }
    if (value.isArray() && type.hasCollectionType()) {
      BindingDataCollection.Builder items = BindingDataCollection.newBuilder();
      for (int i = 0; i < value.size(); i++) {
        items.addBindings(read(value.get(i), type.getCollectionType(), path + "[" + i + "]"));
      }
      return BindingData.newBuilder().setCollection(items).build();
    }
    if (value.isObject() && type.hasMapValueType()) {
      BindingDataMap.Builder entries = BindingDataMap.newBuilder();
      value.fields().forEachRemaining(e -> entries.putBindings(
          e.getKey(), read(e.getValue(), type.getMapValueType(), path + "." + e.getKey())));
      return BindingData.newBuilder().setMap(entries).build();
    }
    return BindingData.newBuilder()
        .setLiteral(LiteralJson.decode(Json.decodeValue(value.toString()), type, path))
        .build();
  }

  private static BindingData untyped(JsonNode value, String path) {
    if (value.isArray()) {
      BindingDataCollection.Builder items = BindingDataCollection.newBuilder();
      for (int i = 0; i < value.size(); i++) {
        items.addBindings(read(value.get(i), null, path + "[" + i + "]"));
      }
      return BindingData.newBuilder().setCollection(items).build();
    }
    if (value.isObject()) {
      BindingDataMap.Builder entries = BindingDataMap.newBuilder();
      value.fields().forEachRemaining(e ->
          entries.putBindings(e.getKey(), read(e.getValue(), null, path + "." + e.getKey())));
      return BindingData.newBuilder().setMap(entries).build();
    }
    Literal.Builder literal = Literal.newBuilder();
    if (value.isIntegralNumber()) {
      literal.setInteger(value.longValue());
    } else if (value.isNumber()) {
      literal.setFloatValue(value.doubleValue());
    } else if (value.isBoolean()) {
      literal.setBoolean(value.booleanValue());
    } else if (value.isTextual()) {
      literal.setStringValue(value.asText());
    } else {
      throw new IllegalArgumentException(path + ": expected a reference or a constant, got "
          + value);
    }
    return BindingData.newBuilder().setLiteral(literal).build();
  }
}
