package io.starling.sdk;

import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The Starling type of a Java type as a method declares it, for tasks made of methods. */
final class JavaTypes {

  private JavaTypes() {}

  /** The type of {@code type}, or an IllegalArgumentException naming {@code where}. */
  static Type<?> of(java.lang.reflect.Type type, String where) {
    if (type == long.class || type == Long.class) {
      return Type.INTEGER;
    }
    if (type == int.class || type == Integer.class) {
      return Type.INTEGER.as(Math::toIntExact, Integer::longValue);
    }
    if (type == double.class || type == Double.class) {
      return Type.FLOAT;
    }
    if (type == boolean.class || type == Boolean.class) {
      return Type.BOOLEAN;
    }
    if (type == String.class) {
      return Type.STRING;
    }
    if (type == Instant.class) {
      return Type.DATETIME;
    }
    if (type == Duration.class) {
      return Type.DURATION;
    }
    if (type == byte[].class) {
      return Type.BINARY;
    }
    if (type instanceof Class<?> record && record.isRecord()) {
      return Type.record(record.asSubclass(Record.class));
    }
    if (type instanceof ParameterizedType generic) {
      java.lang.reflect.Type[] arguments = generic.getActualTypeArguments();
      if (generic.getRawType() == List.class) {
        return Type.list(of(arguments[0], where));
      }
      if (generic.getRawType() == Map.class && arguments[0] == String.class) {
        return Type.map(of(arguments[1], where));
      }
    }
    throw new IllegalArgumentException(where + ": " + type.getTypeName() + " has no Starling"
        + " type (long, int, double, boolean, String, Instant, Duration, byte[], a record,"
        + " List<T> or Map<String, T> of those)");
  }
}
