package io.starling.admin.compiler;

import io.starling.proto.LiteralTypes;
import io.starling.proto.core.Literal;
import io.starling.proto.core.LiteralType;

/** Whether a value conforms to a type; {@code none} conforms to every type. */
public final class TypeChecker {

  private TypeChecker() {}

  /** Null when {@code value} conforms to {@code type}, else what is wrong, e.g. "expected integer, got string". */
  public static String mismatch(Literal value, LiteralType type) {
    return conforms(value, type) ? null
        : "expected " + LiteralTypes.describe(type) + ", got " + describe(value);
  }

  public static boolean conforms(Literal value, LiteralType type) {
    if (value.hasNone()) {
      return true;
    }
    switch (type.getTypeCase()) {
      case SIMPLE:
        switch (type.getSimple()) {
          case INTEGER: return value.hasInteger();
          case FLOAT: return value.hasFloatValue() || value.hasInteger();
          case STRING: return value.hasStringValue();
          case BOOLEAN: return value.hasBoolean();
          case DATETIME: return value.hasDatetime();
          case DURATION: return value.hasDuration();
          case BINARY: return value.hasBinary();
          case STRUCT: return value.hasStruct();
          default: return false;
        }
      case BLOB:
        return value.hasBlob();
      case COLLECTION_TYPE:
        return value.hasCollection() && value.getCollection().getLiteralsList().stream()
            .allMatch(item -> conforms(item, type.getCollectionType()));
      case MAP_VALUE_TYPE:
        return value.hasMap() && value.getMap().getLiteralsMap().values().stream()
            .allMatch(item -> conforms(item, type.getMapValueType()));
      default:
        return false;
    }
  }

  /** A short description of what a value is. */
  public static String describe(Literal value) {
    switch (value.getValueCase()) {
      case INTEGER: return "integer";
      case FLOAT_VALUE: return "float";
      case STRING_VALUE: return "string";
      case BOOLEAN: return "boolean";
      case DATETIME: return "datetime";
      case DURATION: return "duration";
      case BINARY: return "binary";
      case STRUCT: return "struct";
      case BLOB: return "blob";
      case COLLECTION: return "list";
      case MAP: return "map";
      case NONE: return "none";
      default: return "no value";
    }
  }

  /** Whether a type is fully set, all the way down. */
  public static boolean isComplete(LiteralType type) {
    switch (type.getTypeCase()) {
      case SIMPLE:
        return type.getSimpleValue() > 0 && type.getSimple() != io.starling.proto.core.SimpleType.UNRECOGNIZED;
      case BLOB:
        return true;
      case COLLECTION_TYPE:
        return isComplete(type.getCollectionType());
      case MAP_VALUE_TYPE:
        return isComplete(type.getMapValueType());
      default:
        return false;
    }
  }
}
