package io.starling.admin.registry;

import io.starling.admin.store.RegistryStore.ScheduledRow;
import io.starling.admin.store.Stored;
import io.starling.proto.core.LaunchPlanSpec;
import io.starling.scheduler.slot.Slots;
import java.time.Instant;
import java.util.List;

/**
 * An active launch plan version with a schedule: its next slots after a given now, computed by
 * the code the scheduler fires with, and the newest slot its name fired ({@code null}: none).
 */
public record ScheduledPlan(Stored plan, List<Instant> nextSlots, Instant lastScheduledAt) {

  /** The first {@code count} slots of {@code row}'s schedule after {@code now}. */
  static ScheduledPlan of(ScheduledRow row, Instant now, int count) {
    LaunchPlanSpec spec = Registry.parse(LaunchPlanSpec.parser(), row.plan().spec());
    List<Instant> next = Slots.of(spec.getSchedule(), row.plan().activatedAt()).next(now, count);
    return new ScheduledPlan(row.plan(), next, row.lastScheduledAt());
  }
}
