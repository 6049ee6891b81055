package io.starling.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who a call is from: an API key's id, its project ({@link #ALL_PROJECTS} for every one) and
 * roles. An open server's calls are all from {@link #OPEN}.
 *
 * @param keyId the key's id; empty for {@link #OPEN}
 */
public record Principal(String keyId, String project, Set<Role> roles) {

  /** The project of a key that is not bound to one. */
  public static final String ALL_PROJECTS = "*";

  /** Everyone, on a server that runs without authentication. */
  public static final Principal OPEN = new Principal("", ALL_PROJECTS, EnumSet.of(Role.ADMIN));

  public Principal {
    roles = Set.copyOf(roles);
  }

  /**
   * Whether this principal may act as {@code role} in {@code project}; an empty project (a
   * call about every project) only for a key of all projects.
   */
  public boolean may(Role role, String project) {
    boolean inProject = ALL_PROJECTS.equals(this.project) || this.project.equals(project);
    return inProject && roles.stream().anyMatch(held -> held.grants(role));
  }

  /** How the principal is named in a refusal or a log line. */
  public String describe() {
    return keyId.isEmpty() ? "an open server's caller" : "API key " + keyId;
  }
}
