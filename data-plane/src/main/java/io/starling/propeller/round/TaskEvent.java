package io.starling.propeller.round;

import io.starling.propeller.plugin.TaskResult;

/** The end of one attempt of a node, as reported by a plugin. */
public record TaskEvent(int node, int attempt, TaskResult result) {}
