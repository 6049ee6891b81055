package io.starling.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as kept: never its secret, only the salted hash of it.
 *
 * @param revokedAt null while the key is valid
 */
public record StoredKey(String keyId, String name, String project, Set<Role> roles,
    Instant createdAt, Instant revokedAt, byte[] salt, byte[] hash) {

  public boolean revoked() {
    return revokedAt != null;
  }

  Principal principal() {
    return new Principal(keyId, project, roles);
  }
}
