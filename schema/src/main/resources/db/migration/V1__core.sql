-- The core schema. Specs and values are stored as serialized starling.core protobuf messages
-- (bytea); columns exist only for what is filtered, joined, ordered or fenced on.

-- Registry: immutable versions of tasks, workflows and launch plans. The surrogate id orders
-- the list calls (newest first) and is the page token.
CREATE TABLE tasks (
    id          bigserial   PRIMARY KEY,
    project     text        NOT NULL,
    domain      text        NOT NULL,
    name        text        NOT NULL,
    version     text        NOT NULL,
    spec        bytea       NOT NULL,  -- starling.core.TaskTemplate
    created_at  timestamptz NOT NULL,
    UNIQUE (project, domain, name, version)
);
CREATE INDEX tasks_by_project ON tasks (project, domain, id DESC);
CREATE INDEX tasks_by_name ON tasks (project, domain, name, id DESC);

CREATE TABLE workflows (
    id          bigserial   PRIMARY KEY,
    project     text        NOT NULL,
    domain      text        NOT NULL,
    name        text        NOT NULL,
    version     text        NOT NULL,
    spec        bytea       NOT NULL,  -- starling.core.WorkflowTemplate as registered
    closure     bytea       NOT NULL,  -- starling.core.CompiledWorkflowClosure
    created_at  timestamptz NOT NULL,
    UNIQUE (project, domain, name, version)
);
CREATE INDEX workflows_by_project ON workflows (project, domain, id DESC);
CREATE INDEX workflows_by_name ON workflows (project, domain, name, id DESC);

CREATE TABLE launch_plans (
    id          bigserial   PRIMARY KEY,
    project     text        NOT NULL,
    domain      text        NOT NULL,
    name        text        NOT NULL,
    version     text        NOT NULL,
    workflow_id bigint      NOT NULL REFERENCES workflows (id),
    spec        bytea       NOT NULL,  -- starling.core.LaunchPlanSpec
    state       smallint    NOT NULL,  -- starling.core.LaunchPlanState
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (project, domain, name, version)
);
CREATE INDEX launch_plans_by_project ON launch_plans (project, domain, id DESC);
CREATE INDEX launch_plans_by_name ON launch_plans (project, domain, name, id DESC);
-- At most one active version per launch plan name.
CREATE UNIQUE INDEX launch_plans_one_active ON launch_plans (project, domain, name) WHERE state = 1;

-- Executions. The admin inserts a row in QUEUED; from then on the propeller that holds the
-- lease of its shard owns phase, outputs, error and the timestamps, and every such write
-- checks `version` (optimistic concurrency). The admin only ever records an abort request.
CREATE TABLE executions (
    id                  bigserial   PRIMARY KEY,
    project             text        NOT NULL,
    domain              text        NOT NULL,
    name                text        NOT NULL,
    launch_plan_id      bigint      NOT NULL REFERENCES launch_plans (id),
    workflow_id         bigint      NOT NULL REFERENCES workflows (id),
    shard               int         NOT NULL,
    mode                smallint    NOT NULL,
    reference_execution bigint      REFERENCES executions (id),
    max_parallelism     int         NOT NULL,
    inputs              bytea       NOT NULL,  -- starling.core.LiteralMap, defaults applied
    phase               smallint    NOT NULL,  -- starling.core.WorkflowExecution.Phase
    outputs             bytea,
    error               bytea,                 -- starling.core.ExecutionError
    abort_cause         text,
    abort_requested_at  timestamptz,
    version             bigint      NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    updated_at          timestamptz NOT NULL,
    ended_at            timestamptz,
    UNIQUE (project, domain, name)
);
CREATE INDEX executions_by_project ON executions (project, domain, id DESC);
CREATE INDEX executions_by_launch_plan ON executions (launch_plan_id, id DESC);
-- What a new shard owner loads and resumes: every execution not yet terminal.
CREATE INDEX executions_active ON executions (shard, id) WHERE phase IN (0, 1, 2, 3, 5, 9);

-- One row per node of an execution, written by the propeller in batches.
CREATE TABLE node_executions (
    execution_id  bigint      NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node_id       text        NOT NULL,
    phase         smallint    NOT NULL,  -- starling.core.NodeExecution.Phase
    attempts      int         NOT NULL,
    inputs        bytea,                 -- starling.core.LiteralMap
    outputs       bytea,                 -- starling.core.LiteralMap
    error         bytea,                 -- starling.core.ExecutionError
    version       int         NOT NULL,
    started_at    timestamptz,
    updated_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    PRIMARY KEY (execution_id, node_id)
);

-- One row per attempt of the task behind a node.
CREATE TABLE task_executions (
    execution_id  bigint      NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    node_id       text        NOT NULL,
    attempt       int         NOT NULL,
    phase         smallint    NOT NULL,  -- starling.core.TaskExecution.Phase
    error         bytea,
    started_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    PRIMARY KEY (execution_id, node_id, attempt)
);

-- Fencing. A replica owns a shard while it holds the current epoch; taking a shard over bumps
-- the epoch, and every propeller write checks its epoch under a share lock on this row in the
-- same transaction, so a replica that lost a shard cannot commit state for it afterwards.
CREATE TABLE shard_leases (
    shard        int         PRIMARY KEY,
    owner        text        NOT NULL,
    epoch        bigint      NOT NULL,
    acquired_at  timestamptz NOT NULL
);
