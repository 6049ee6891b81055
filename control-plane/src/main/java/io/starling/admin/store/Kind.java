package io.starling.admin.store;

import io.starling.proto.core.ResourceType;

/** The three registered kinds and their tables. */
public enum Kind {
  TASK("tasks", ResourceType.TASK, "task"),
  WORKFLOW("workflows", ResourceType.WORKFLOW, "workflow"),
  LAUNCH_PLAN("launch_plans", ResourceType.LAUNCH_PLAN, "launch plan");

  final String table;
  private final ResourceType resourceType;
  private final String noun;

  Kind(String table, ResourceType resourceType, String noun) {
    this.table = table;
    this.resourceType = resourceType;
    this.noun = noun;
  }

  public ResourceType resourceType() {
    return resourceType;
  }

  /** "task", "workflow", "launch plan": for messages. */
  public String noun() {
    return noun;
  }
}
