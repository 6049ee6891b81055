package io.starling.scheduler;

import io.starling.proto.core.Identifier;
import io.starling.proto.core.Schedule;
import java.time.Instant;

/** An active launch plan version with a schedule, as the scheduler loads it. */
record ActiveSchedule(long rowId, Identifier launchPlan, Schedule schedule, Instant activatedAt,
    int shard) {}
