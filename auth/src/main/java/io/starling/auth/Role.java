package io.starling.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a key may do in its project: {@code read} (get, list, watch), {@code launch} (create,
 * terminate, relaunch, recover executions; and read), {@code register} (tasks, workflows, launch
 * plans and their activation; and read), {@code worker} (serve the project's task queues), and
 * {@code admin} (everything, and the project's API keys).
 */
public enum Role {
  READ, LAUNCH, REGISTER, WORKER, ADMIN;

  /** The role's name as keys, configuration and the CLI spell it. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether holding this role allows what {@code needed} allows. */
  boolean grants(Role needed) {
    return this == needed || this == ADMIN
        || needed == READ && (this == LAUNCH || this == REGISTER);
  }

  /** The role named {@code id}, or an IllegalArgumentException listing the roles. */
  public static Role of(String id) {
    for (Role role : values()) {
      if (role.id().equals(id)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + id + "', expected one of "
        + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
  }
}
