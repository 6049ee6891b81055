package io.starling.app.replica;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a replica does; {@code roles} in the configuration lists them. */
public enum Role {
  /** Serves the admin API (and the console): stateless, any number of replicas. */
  ADMIN,
  /** Runs executions of the shards its Hazelcast member owns. */
  PROPELLER,
  /** Fires the schedules of the shards its Hazelcast member owns. */
  SCHEDULER;

  /**
   * The roles among {@code roles} that run the shards of the member's partitions: every
   * partition owner of a group must have the same ones, for the partitions are shared out
   * among the owners whatever their roles.
   */
  public static Set<Role> shardRoles(Set<Role> roles) {
    Set<Role> shardRoles = EnumSet.noneOf(Role.class);
    roles.stream().filter(role -> role != ADMIN).forEach(shardRoles::add);
    return shardRoles;
  }

  /** The roles named in {@code names}; throws naming an unknown one and the known ones. */
  public static Set<Role> parse(List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("roles must name at least one of " + known());
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      try {
        roles.add(Role.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("roles: unknown role '" + name + "'; the roles are "
            + known());
      }
    }
    return roles;
  }

  private static String known() {
    return EnumSet.allOf(Role.class).stream().map(role -> role.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
