-- The scheduler. A launch plan version's schedule is live while the version is ACTIVE; the
-- admin places it on a shard (schedule_shard, NULL for a plan without a schedule) when it
-- activates it, and records when (activated_at: fixed rates are anchored there). The shard's
-- owner loads the live schedules of its shards through the partial index.
ALTER TABLE launch_plans ADD COLUMN activated_at timestamptz;
ALTER TABLE launch_plans ADD COLUMN schedule_shard int;
UPDATE launch_plans SET activated_at = updated_at WHERE state = 1;
CREATE INDEX launch_plans_scheduled ON launch_plans (schedule_shard)
    WHERE state = 1 AND schedule_shard IS NOT NULL;

-- The slot a scheduled execution was created for (NULL for the others).
ALTER TABLE executions ADD COLUMN scheduled_at timestamptz;

-- Who fires a shard's schedules: the same shape and rules as shard_leases.
CREATE TABLE schedule_leases (
    shard        int         PRIMARY KEY,
    owner        text        NOT NULL,
    epoch        bigint      NOT NULL,
    acquired_at  timestamptz NOT NULL,
    renewed_at   timestamptz NOT NULL DEFAULT now(),
    released_at  timestamptz
);

-- Per shard: a counter the admin bumps in the transaction that activates or deactivates a
-- scheduled version on the shard (its owner polls the counters and reloads a shard whose
-- counter moved), and the owner's last snapshot: the slots fired, compacted (one row per
-- shard, never one per schedule), written only by the holder of the shard's current epoch.
CREATE TABLE schedule_shards (
    shard        int         PRIMARY KEY,
    changes      bigint      NOT NULL DEFAULT 0,
    snapshot     bytea,
    snapshot_at  timestamptz
);
