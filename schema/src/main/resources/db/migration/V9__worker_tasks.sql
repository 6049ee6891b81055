-- Attempts of `worker` tasks on their way to the SDKs' workers. The replica that runs the
-- execution inserts one row per attempt (attempt_key: execution/node[subtask]/attempt, so the
-- next owner of the shard finds the row again); any replica leases QUEUED rows of the queues its
-- connected workers serve (SKIP LOCKED), records their reports, and expires leases that were
-- not kept; the owner takes DONE and EXPIRED rows in and deletes them.
-- state: 0 QUEUED, 1 LEASED, 2 DONE, 3 EXPIRED.
CREATE TABLE worker_tasks (
    id             bigserial   PRIMARY KEY,
    attempt_key    text        NOT NULL UNIQUE,
    execution_id   bigint      NOT NULL,
    shard          int         NOT NULL,
    queue          text        NOT NULL,
    spec           bytea       NOT NULL,
    state          smallint    NOT NULL DEFAULT 0,
    lease          bigint,
    worker         text,
    lease_expires  timestamptz,
    result         bytea,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX worker_tasks_queued ON worker_tasks (queue, id) WHERE state = 0;
CREATE INDEX worker_tasks_leased ON worker_tasks (lease_expires) WHERE state = 1;
