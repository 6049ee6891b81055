package io.starling.scheduler;

import io.starling.ownership.ShardLease;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The schedules of one shard this replica owns. Guarded by the scheduler's lock. */
final class ShardSchedules {

  final ShardLease lease;
  /** The shard's change counter when its schedules were last loaded. */
  long changes;
  final Map<Long, ScheduleState> byRowId = new HashMap<>();
  /** Something fired or changed since the last snapshot was written. */
  boolean dirty = true;
  /** A reload of its schedules is in flight. */
  boolean reloading;
  int snapshotBytes;

  ShardSchedules(ShardLease lease, long changes) {
    this.lease = lease;
    this.changes = changes;
  }

  byte[] snapshot(Instant takenAt) {
    TreeMap<Long, Instant> watermarks = new TreeMap<>();
    byRowId.forEach((rowId, state) -> watermarks.put(rowId, state.behind(takenAt)));
    return Snapshot.encode(takenAt, watermarks);
  }
}
