package io.starling.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.starling.proto.DurationText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Configuration as flat dotted keys ({@code propeller.workers}): read from one YAML file, then
 * overridden by environment variables named {@code STARLING_} plus the key in upper case with
 * dots and dashes as underscores ({@code STARLING_PROPELLER_WORKERS}). A key that no component
 * reads is an error, so a typo never passes silently. A declared key may have a {@code *}
 * segment that stands for a name the file chooses ({@code sharding.groups.*.id}); such keys
 * come from the file only.
 */
public final class Settings {

  private final Map<String, String> values;
  private final Set<String> known;

  private Settings(Map<String, String> values, Set<String> known) {
    this.values = values;
    this.known = known;
  }

  /** Reads {@code file} (if not null) and the environment. */
  public static Settings load(Path file, Map<String, String> environment, Set<String> known) {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      try {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        if (root != null) {
          flatten("", root, values);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read configuration " + file + ": " + e.getMessage(), e);
      }
    }
    for (String key : known) {
      if (key.contains("*")) {
        String prefix = key.substring(0, key.indexOf('*'));
        String variables = variable(prefix);
        environment.keySet().stream().filter(name -> name.startsWith(variables)).findFirst()
            .ifPresent(name -> {
              throw new IllegalArgumentException(name + ": the " + prefix + "* keys come from"
                  + " the configuration file only");
            });
        continue;
      }
      String variable = variable(key);
      if (environment.containsKey(variable)) {
        values.put(key, environment.get(variable));
      }
    }
    for (String key : values.keySet()) {
      if (!declared(key, known)) {
        throw new IllegalArgumentException("unknown configuration key '" + key + "'");
      }
    }
    return new Settings(values, known);
  }

  private static String variable(String key) {
    return "STARLING_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(field ->
          flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into));
    } else if (node.isArray()) {
      StringBuilder items = new StringBuilder();
      node.forEach(item -> items.append(items.length() > 0 ? "," : "").append(item.asText()));
      into.put(prefix, items.toString());
    } else if (!node.isNull()) {
      into.put(prefix, node.asText());
    }
  }

  public String string(String key, String fallback) {
    return values.getOrDefault(checked(key), fallback);
  }

  /**
   * A list: a YAML sequence, or items separated by commas (as an environment variable gives
   * it); blank items are left out.
   */
  public List<String> list(String key, List<String> fallback) {
    String value = values.get(checked(key));
    if (value == null) {
      return fallback;
    }
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  public int integer(String key, int fallback) {
    String value = values.get(checked(key));
    try {
      return value == null ? fallback : Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
    }
  }

  public boolean bool(String key, boolean fallback) {
    String value = values.get(checked(key));
    if (value == null) {
      return fallback;
    }
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /** A duration in any form {@link DurationText} reads: {@code 500ms}, {@code 2s}, {@code PT2S}. */
  public Duration duration(String key, Duration fallback) {
    String value = values.get(checked(key));
    if (value == null) {
      return fallback;
    }
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  /**
   * The names that stand for the {@code *} of {@code prefix.*.}: of {@code sharding.groups}, the
   * groups the file has, in the order of their names.
   */
  public Set<String> names(String prefix) {
    Set<String> names = new TreeSet<>();
    String start = prefix + ".";
    for (String key : values.keySet()) {
      int end = key.indexOf('.', start.length());
      if (key.startsWith(start) && end > start.length()) {
        names.add(key.substring(start.length(), end));
      }
    }
    return names;
  }

  private static boolean declared(String key, Set<String> known) {
    if (known.contains(key)) {
      return true;
    }
    String[] segments = key.split("\\.", -1);
    for (String pattern : known) {
      String[] parts = pattern.split("\\.", -1);
      if (pattern.contains("*") && parts.length == segments.length) {
        boolean matches = true;
        for (int i = 0; i < parts.length && matches; i++) {
          matches = parts[i].equals("*") ? !segments[i].isEmpty() : parts[i].equals(segments[i]);
        }
        if (matches) {
          return true;
        }
      }
    }
    return false;
  }

  private String checked(String key) {
    if (!declared(key, known)) {
      throw new IllegalStateException("configuration key '" + key + "' is not declared");
    }
    return key;
  }
}
