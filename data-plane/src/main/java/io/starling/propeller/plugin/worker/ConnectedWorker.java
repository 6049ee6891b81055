package io.starling.propeller.plugin.worker;

import java.util.List;

/**
 * A worker connected to this replica, as a status view shows it: its id, its queues
 * ({@code project/domain/name}), how many attempts it takes at once and how many more it has
 * room for now.
 */
public record ConnectedWorker(String workerId, List<String> queues, int capacity, int free) {}
