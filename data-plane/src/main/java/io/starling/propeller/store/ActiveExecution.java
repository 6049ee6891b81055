package io.starling.propeller.store;

/** A non-terminal execution in a shard this replica owns, as the periodic scan finds it. */
public record ActiveExecution(long id, int shard, boolean abortRequested) {}
