package io.starling.proto;

import io.starling.proto.core.BlobType;
import io.starling.proto.core.LiteralType;
import io.starling.proto.core.SimpleType;
import java.util.Locale;

/**
 * The short text form of types used in messages, specs and the command line:
 * {@code integer}, {@code float}, {@code string}, {@code boolean}, {@code datetime},
 * {@code duration}, {@code binary}, {@code struct}, {@code blob}, {@code list<T>},
 * {@code map<string, T>} (or {@code map<T>}).
 */
public final class LiteralTypes {

  private LiteralTypes() {}

  public static String describe(LiteralType type) {
    switch (type.getTypeCase()) {
      case SIMPLE: return type.getSimple().name().toLowerCase(Locale.ROOT);
      case BLOB: return "blob";
      case COLLECTION_TYPE: return "list<" + describe(type.getCollectionType()) + ">";
      case MAP_VALUE_TYPE: return "map<string, " + describe(type.getMapValueType()) + ">";
      default: return "unset";
    }
  }

  /** {@code list<item>}. */
  public static LiteralType listOf(LiteralType item) {
    return LiteralType.newBuilder().setCollectionType(item).build();
  }

  /** The type of a scalar value (integer, float, string, boolean, datetime, duration); else null. */
  public static LiteralType scalarTypeOf(io.starling.proto.core.Literal value) {
    SimpleType simple = switch (value.getValueCase()) {
      case INTEGER -> SimpleType.INTEGER;
      case FLOAT_VALUE -> SimpleType.FLOAT;
      case STRING_VALUE -> SimpleType.STRING;
      case BOOLEAN -> SimpleType.BOOLEAN;
      case DATETIME -> SimpleType.DATETIME;
      case DURATION -> SimpleType.DURATION;
      default -> null;
    };
    return simple == null ? null : LiteralType.newBuilder().setSimple(simple).build();
  }

  /** Parses the text form; throws {@link IllegalArgumentException} naming what is wrong. */
  public static LiteralType parse(String text) {
    String t = text.strip();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("list<") && lower.endsWith(">")) {
      return LiteralType.newBuilder().setCollectionType(parse(t.substring(5, t.length() - 1))).build();
    }
    if (lower.startsWith("map<") && lower.endsWith(">")) {
      String inner = t.substring(4, t.length() - 1).strip();
      if (inner.toLowerCase(Locale.ROOT).startsWith("string,")) {
        inner = inner.substring("string,".length());
      }
      return LiteralType.newBuilder().setMapValueType(parse(inner)).build();
    }
    if (lower.equals("blob")) {
      return LiteralType.newBuilder().setBlob(BlobType.getDefaultInstance()).build();
    }
    for (SimpleType simple : SimpleType.values()) {
      if (simple != SimpleType.SIMPLE_TYPE_UNSPECIFIED && simple != SimpleType.UNRECOGNIZED
          && simple.name().toLowerCase(Locale.ROOT).equals(lower)) {
        return LiteralType.newBuilder().setSimple(simple).build();
      }
    }
    throw new IllegalArgumentException("unknown type '" + text + "' (integer, float, string, "
        + "boolean, datetime, duration, binary, struct, blob, list<T>, map<string, T>)");
  }
}
