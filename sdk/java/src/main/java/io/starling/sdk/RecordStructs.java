package io.starling.sdk;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records as structs, field by component name, as the Python SDK writes dataclasses: JSON
 * values only (numbers, strings, booleans, nested records, lists and string-keyed maps of
 * them). Integers travel as JSON numbers, so they are exact up to 2^53.
 */
final class RecordStructs {

  private static final long EXACT = 1L << 53;

  private RecordStructs() {}

  /** Refuses, naming {@code where}, a record with a component a struct cannot hold. */
  static void check(java.lang.reflect.Type type, String where) {
    check(type, where, new HashSet<>());
  }

  private static void check(java.lang.reflect.Type type, String where, Set<Class<?>> seen) {
    if (isScalar(type)) {
      return;
    }
    if (type instanceof Class<?> record && record.isRecord()) {
      if (seen.add(record)) {
        for (RecordComponent component : record.getRecordComponents()) {
          check(component.getGenericType(), where + "." + component.getName(), seen);
        }
      }
      return;
    }
    if (type instanceof ParameterizedType generic) {
      java.lang.reflect.Type[] arguments = generic.getActualTypeArguments();
      if (generic.getRawType() == List.class) {
        check(arguments[0], where + "[]", seen);
        return;
      }
      if (generic.getRawType() == Map.class && arguments[0] == String.class) {
        check(arguments[1], where + "{}", seen);
        return;
      }
    }
    throw new IllegalArgumentException(where + ": " + type.getTypeName() + " cannot be a"
        + " struct field (numbers, String, boolean, records, List and Map<String, …> of those)");
  }

  private static boolean isScalar(java.lang.reflect.Type type) {
    return type == long.class || type == Long.class || type == int.class
        || type == Integer.class || type == double.class || type == Double.class
        || type == boolean.class || type == Boolean.class || type == String.class;
  }

  static Struct struct(Record record) {
    Struct.Builder struct = Struct.newBuilder();
    for (RecordComponent component : record.getClass().getRecordComponents()) {
      struct.putFields(component.getName(), value(read(component, record)));
    }
    return struct.build();
  }

  private static Object read(RecordComponent component, Record record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalArgumentException("cannot read " + component, e);
    }
  }

  private static Value value(Object field) {
    Value.Builder value = Value.newBuilder();
    if (field == null) {
      value.setNullValue(NullValue.NULL_VALUE);
    } else if (field instanceof Long || field instanceof Integer) {
      long number = ((Number) field).longValue();
      if (Math.abs(number) > EXACT) {
        throw new IllegalArgumentException(number + " is beyond 2^53, the exact integers of"
            + " a struct");
      }
      value.setNumberValue(number);
    } else if (field instanceof Double number) {
      value.setNumberValue(number);
    } else if (field instanceof Boolean bool) {
      value.setBoolValue(bool);
    } else if (field instanceof String string) {
      value.setStringValue(string);
    } else if (field instanceof Record nested) {
      value.setStructValue(struct(nested));
    } else if (field instanceof List<?> items) {
      ListValue.Builder list = ListValue.newBuilder();
      items.forEach(item -> list.addValues(value(item)));
      value.setListValue(list);
    } else if (field instanceof Map<?, ?> entries) {
      Struct.Builder map = Struct.newBuilder();
      entries.forEach((key, item) -> map.putFields((String) key, value(item)));
      value.setStructValue(map);
    } else {
      throw new IllegalArgumentException(field.getClass().getName() + " cannot be a struct"
          + " field");
    }
    return value.build();
  }

  /** The record of {@code type} from {@code struct}; a missing field is null (or zero). */
  static <R> R record(Class<R> type, Struct struct) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] arguments = new Object[components.length];
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      parameterTypes[i] = component.getType();
      Value field = struct.getFieldsOrDefault(component.getName(),
          Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build());
      arguments[i] = java(field, component.getGenericType(),
          type.getSimpleName() + "." + component.getName());
    }
    try {
      var constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
      return constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot make a " + type.getName() + " of " + struct,
          e instanceof InvocationTargetException thrown ? thrown.getCause() : e);
    }
  }

  private static Object java(Value value, java.lang.reflect.Type type, String where) {
    if (value.hasNullValue()) {
      return type instanceof Class<?> c && c.isPrimitive() ? zero(c) : null;
    }
    if (type == long.class || type == Long.class) {
      return exact(value.getNumberValue(), where);
    }
    if (type == int.class || type == Integer.class) {
      return Math.toIntExact(exact(value.getNumberValue(), where));
    }
    if (type == double.class || type == Double.class) {
      return value.getNumberValue();
    }
    if (type == boolean.class || type == Boolean.class) {
      return value.getBoolValue();
    }
    if (type == String.class) {
      return value.getStringValue();
    }
    if (type instanceof Class<?> record && record.isRecord()) {
      return record(record, value.getStructValue());
    }
    ParameterizedType generic = (ParameterizedType) type;
    java.lang.reflect.Type[] arguments = generic.getActualTypeArguments();
    if (generic.getRawType() == List.class) {
      List<Object> items = new ArrayList<>();
      value.getListValue().getValuesList().forEach(item ->
          items.add(java(item, arguments[0], where + "[]")));
      return items;
    }
    Map<String, Object> entries = new LinkedHashMap<>();
    value.getStructValue().getFieldsMap().forEach((key, item) ->
        entries.put(key, java(item, arguments[1], where + "{}")));
    return entries;
  }

  private static long exact(double number, String where) {
    if (number != Math.rint(number) || Math.abs(number) > EXACT) {
      throw new IllegalArgumentException(where + ": " + number + " is not an exact integer");
    }
    return (long) number;
  }

  private static Object zero(Class<?> primitive) {
    if (primitive == boolean.class) {
      return false;
    }
    if (primitive == double.class) {
      return 0.0;
    }
    return primitive == int.class ? (Object) 0 : (Object) 0L;
  }
}
