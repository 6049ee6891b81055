package io.starling.admin.registry;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Names the first field in which two messages differ, as a path such as
 * {@code interface.inputs[a].type}: what ALREADY_EXISTS tells a user who re-registered an id
 * with a different spec.
 */
public final class SpecDiff {

  private SpecDiff() {}

  /** The path of the first differing field, or null when the messages are equal. */
  public static String firstDifference(Message a, Message b) {
    return diff(a, b, "");
  }

  private static String diff(Message a, Message b, String path) {
    if (a.equals(b)) {
      return null;
    }
    for (FieldDescriptor field : a.getDescriptorForType().getFields()) {
      String fieldPath = path.isEmpty() ? field.getName() : path + "." + field.getName();
      Object left = a.getField(field);
      Object right = b.getField(field);
      if (Objects.equals(left, right)) {
        continue;
      }
      if (field.isMapField()) {
        return mapDiff(toMap(left), toMap(right), fieldPath);
      }
      if (field.isRepeated()) {
        List<?> l = (List<?>) left;
        List<?> r = (List<?>) right;
        for (int i = 0; i < Math.min(l.size(), r.size()); i++) {
          String inner = element(l.get(i), r.get(i), fieldPath + "[" + i + "]");
          if (inner != null) {
            return inner;
          }
        }
        return fieldPath + " (" + l.size() + " vs " + r.size() + " elements)";
      }
      return element(left, right, fieldPath);
    }
    return path.isEmpty() ? "(unknown fields)" : path;
  }

  private static String element(Object left, Object right, String path) {
    if (Objects.equals(left, right)) {
      return null;
    }
    if (left instanceof Message l && right instanceof Message r) {
      String inner = diff(l, r, path);
      return inner == null ? path : inner;
    }
    return path;
  }

  private static String mapDiff(Map<Object, Object> left, Map<Object, Object> right, String path) {
    TreeSet<String> keys = new TreeSet<>();
    left.keySet().forEach(k -> keys.add(String.valueOf(k)));
    right.keySet().forEach(k -> keys.add(String.valueOf(k)));
    Map<String, Object> l = new HashMap<>();
    Map<String, Object> r = new HashMap<>();
    left.forEach((k, v) -> l.put(String.valueOf(k), v));
    right.forEach((k, v) -> r.put(String.valueOf(k), v));
    for (String key : keys) {
      String inner = element(l.get(key), r.get(key), path + "[" + key + "]");
      if (inner != null) {
        return inner;
      }
    }
    return path;
  }

  private static Map<Object, Object> toMap(Object entries) {
    Map<Object, Object> map = new HashMap<>();
    for (Object entry : (List<?>) entries) {
      MapEntry<?, ?> e = (MapEntry<?, ?>) entry;
      map.put(e.getKey(), e.getValue());
    }
    return map;
  }
}
