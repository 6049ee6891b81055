package io.starling.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.starling.proto.core.Blob;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralCollection;
import io.starling.proto.core.LiteralMap;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.NoneValue;
import io.starling.proto.core.Variable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;

/**
 * The JSON form of values, shared by everything that exchanges values as JSON (the process
 * plugin, the command line, the SDKs): the JSON form of values that tasks outside the JVM read and write: numbers, strings and
 * booleans as themselves; datetimes (RFC 3339) and durations ({@code "1.5s"}) as strings; bytes
 * as base64; blobs as their URI; lists as arrays; maps and structs as objects; none as null.
 * Decoding is driven by the declared type, so a value of the wrong type is an error that names
 * the variable.
 */
public final class LiteralJson {

  private LiteralJson() {}

  public static JsonObject encode(LiteralMap values) {
    JsonObject json = new JsonObject();
    values.getLiteralsMap().forEach((name, value) -> json.put(name, encode(value)));
    return json;
  }

  public static Object encode(Literal value) {
    switch (value.getValueCase()) {
      case INTEGER: return value.getInteger();
      case FLOAT_VALUE: return value.getFloatValue();
      case STRING_VALUE: return value.getStringValue();
      case BOOLEAN: return value.getBoolean();
      case DATETIME: return Timestamps.toString(value.getDatetime());
      case DURATION: return Durations.toString(value.getDuration());
      case BINARY: return Base64.getEncoder().encodeToString(value.getBinary().toByteArray());
      case STRUCT: return encode(Value.newBuilder().setStructValue(value.getStruct()).build());
      case BLOB: return value.getBlob().getUri();
      case COLLECTION: {
        JsonArray array = new JsonArray();
        value.getCollection().getLiteralsList().forEach(item -> array.add(encode(item)));
        return array;
      }
      case MAP: return encode(value.getMap());
      default: return null;
    }
  }

  private static Object encode(Value value) {
    switch (value.getKindCase()) {
      case NUMBER_VALUE: return value.getNumberValue();
      case STRING_VALUE: return value.getStringValue();
      case BOOL_VALUE: return value.getBoolValue();
      case STRUCT_VALUE: {
        JsonObject json = new JsonObject();
        value.getStructValue().getFieldsMap().forEach((k, v) -> json.put(k, encode(v)));
        return json;
      }
      case LIST_VALUE: {
        JsonArray array = new JsonArray();
        value.getListValue().getValuesList().forEach(item -> array.add(encode(item)));
        return array;
      }
      default: return null;
    }
  }

  /** Decodes the declared outputs from {@code json}; every declared output must be present. */
  public static LiteralMap decode(JsonObject json, Map<String, Variable> declared) {
    LiteralMap.Builder result = LiteralMap.newBuilder();
    for (Map.Entry<String, Variable> entry : declared.entrySet()) {
      String name = entry.getKey();
      if (!json.containsKey(name)) {
        throw new IllegalArgumentException("output '" + name + "' is missing");
      }
      result.putLiterals(name, decode(json.getValue(name), entry.getValue().getType(), name));
    }
    return result.build();
  }

  public static Literal decode(Object json, LiteralType type, String path) {
    if (json == null) {
      return Literal.newBuilder().setNone(NoneValue.getDefaultInstance()).build();
    }
    Literal.Builder literal = Literal.newBuilder();
    switch (type.getTypeCase()) {
      case SIMPLE:
        return decodeSimple(json, type, path);
      case BLOB:
        return literal.setBlob(Blob.newBuilder()
            .setType(type.getBlob())
            .setUri(expect(json, String.class, type, path))).build();
      case COLLECTION_TYPE: {
        LiteralCollection.Builder items = LiteralCollection.newBuilder();
        JsonArray array = expect(json, JsonArray.class, type, path);
        for (int i = 0; i < array.size(); i++) {
          items.addLiterals(decode(array.getValue(i), type.getCollectionType(), path + "[" + i + "]"));
        }
        return literal.setCollection(items).build();
      }
      case MAP_VALUE_TYPE: {
        LiteralMap.Builder entries = LiteralMap.newBuilder();
        expect(json, JsonObject.class, type, path).forEach(e -> entries.putLiterals(
            e.getKey(), decode(e.getValue(), type.getMapValueType(), path + "." + e.getKey())));
        return literal.setMap(entries).build();
      }
      default:
        throw new IllegalArgumentException(path + ": the declared type is empty");
    }
  }

  private static Literal decodeSimple(Object json, LiteralType type, String path) {
    Literal.Builder literal = Literal.newBuilder();
    switch (type.getSimple()) {
      case INTEGER: {
        Number number = expect(json, Number.class, type, path);
        if (number.doubleValue() != Math.rint(number.doubleValue())) {
          throw mismatch(json, type, path);
        }
        return literal.setInteger(number.longValue()).build();
      }
      case FLOAT:
        return literal.setFloatValue(expect(json, Number.class, type, path).doubleValue()).build();
      case STRING:
        return literal.setStringValue(expect(json, String.class, type, path)).build();
      case BOOLEAN:
        return literal.setBoolean(expect(json, Boolean.class, type, path)).build();
      case DATETIME:
        try {
          return literal.setDatetime(Timestamps.parse(expect(json, String.class, type, path))).build();
        } catch (ParseException e) {
          throw new IllegalArgumentException(path + ": not an RFC 3339 datetime: " + json);
        }
      case DURATION:
        try {
          return literal.setDuration(Durations.parse(expect(json, String.class, type, path))).build();
        } catch (ParseException e) {
          throw new IllegalArgumentException(path + ": not a duration such as \"1.5s\": " + json);
        }
      case BINARY:
        try {
          return literal.setBinary(ByteString.copyFrom(
              Base64.getDecoder().decode(expect(json, String.class, type, path)))).build();
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + ": not base64: " + e.getMessage());
        }
      case STRUCT:
        return literal.setStruct(toValue(expect(json, JsonObject.class, type, path))
            .getStructValue()).build();
      default:
        throw new IllegalArgumentException(path + ": the declared type is empty");
    }
  }

  private static Value toValue(Object json) {
    Value.Builder value = Value.newBuilder();
    if (json == null) {
      return value.setNullValue(NullValue.NULL_VALUE).build();
    } else if (json instanceof Number number) {
      return value.setNumberValue(number.doubleValue()).build();
    } else if (json instanceof String string) {
      return value.setStringValue(string).build();
    } else if (json instanceof Boolean bool) {
      return value.setBoolValue(bool).build();
    } else if (json instanceof JsonArray array) {
      ListValue.Builder list = ListValue.newBuilder();
      array.forEach(item -> list.addValues(toValue(item)));
      return value.setListValue(list).build();
    } else {
      Struct.Builder struct = Struct.newBuilder();
      ((JsonObject) json).forEach(e -> struct.putFields(e.getKey(), toValue(e.getValue())));
      return value.setStructValue(struct).build();
    }
  }

  private static <T> T expect(Object json, Class<T> kind, LiteralType type, String path) {
    if (!kind.isInstance(json)) {
      throw mismatch(json, type, path);
    }
    return kind.cast(json);
  }

  private static IllegalArgumentException mismatch(Object json, LiteralType type, String path) {
    String shown = String.valueOf(json);
    if (shown.length() > 80) {
      shown = shown.substring(0, 80) + "...";
    }
    return new IllegalArgumentException(
        path + ": expected " + LiteralTypes.describe(type) + ", got " + shown);
  }
}
