package io.starling.propeller.plugin;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The task plugins of a propeller, by task type. Built once at start-up. */
public final class TaskPlugins implements AutoCloseable {

  private final Map<String, TaskPlugin> byType;

  private TaskPlugins(Map<String, TaskPlugin> byType) {
    this.byType = Collections.unmodifiableMap(byType);
  }

  public static TaskPlugins of(TaskPlugin... plugins) {
    Map<String, TaskPlugin> byType = new HashMap<>();
    for (TaskPlugin plugin : plugins) {
      if (byType.putIfAbsent(plugin.type(), plugin) != null) {
        throw new IllegalArgumentException("two plugins for task type " + plugin.type());
      }
    }
    return new TaskPlugins(byType);
  }

  public Optional<TaskPlugin> forType(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** Whether attempts of this task type reattach (see {@link TaskPlugin#reattaches}). */
  public boolean reattaches(String type) {
    TaskPlugin plugin = byType.get(type);
    return plugin != null && plugin.reattaches();
  }

  /** Closes every plugin. */
  @Override
  public void close() {
    byType.values().forEach(TaskPlugin::close);
  }
}
