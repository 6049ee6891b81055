package io.starling.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * How a replica takes credentials.
 *
 * @param apiKeys whether calls need a valid API key (auth.mode api-keys) or not (open)
 * @param bootstrapKey an admin key of every project kept at start-up unless its id exists
 *     (auth.bootstrap-key), so a new cluster has a first key to make the others with
 * @param cacheTtl how long a replica trusts what it read of a key (auth.cache-ttl): a key
 *     revoked on another replica works here for at most this long
 */
public record AuthOptions(boolean apiKeys, Optional<ApiKey> bootstrapKey, Duration cacheTtl) {

  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);

  public AuthOptions {
    if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("auth.cache-ttl must be within 0s-1h, got " + cacheTtl);
    }
  }

  /** The mode named {@code mode}: open or api-keys. */
  public static boolean apiKeys(String mode) {
    return switch (mode) {
      case "api-keys" -> true;
      case "open" -> false;
      default -> throw new IllegalArgumentException("auth.mode must be open or api-keys, got '"
          + mode + "'");
    };
  }

  /** The key {@code text} spells, or an IllegalArgumentException that does not show it. */
  public static ApiKey bootstrapKey(String text) {
    return ApiKey.parse(text).orElseThrow(() -> new IllegalArgumentException(
        "auth.bootstrap-key is not an API key (stk_ and 12 hex digits, _ and 43 characters of"
            + " base64url; starling apikey generate makes one)"));
  }
}
