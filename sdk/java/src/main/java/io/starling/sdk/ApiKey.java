package io.starling.sdk;

import io.vertx.core.MultiMap;

/** The API key sent as {@code authorization: Bearer …} on every call, if there is one. */
final class ApiKey {

  /** The environment variable a key is read from when none is given. */
  static final String VARIABLE = "STARLING_API_KEY";

  private final String key;

  private ApiKey(String key) {
    this.key = key == null || key.isBlank() ? null : key.strip();
  }

  static ApiKey of(String key) {
    return new ApiKey(key);
  }

  static ApiKey fromEnvironment() {
    return new ApiKey(System.getenv(VARIABLE));
  }

  void addTo(MultiMap headers) {
    if (key != null) {
      headers.set("authorization", "Bearer " + key);
    }
  }
}
