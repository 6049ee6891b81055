package io.starling.propeller.store;

/**
 * Where a task's cached outputs are found: the task's project, domain and name, its cache
 * version, and a hash of its interface and inputs.
 */
public record CacheKey(
    String project, String domain, String taskName, String cacheVersion, byte[] inputsHash) {}
