-- Task output caching: a task with cache enabled is not run again for the same project,
-- domain, task name, cache version and input values. The key's last part is a SHA-256 of the
-- task's interface and the inputs, serialized deterministically.
CREATE TABLE task_cache (
    project        text        NOT NULL,
    domain         text        NOT NULL,
    task_name      text        NOT NULL,
    cache_version  text        NOT NULL,
    inputs_hash    bytea       NOT NULL,
    outputs        bytea       NOT NULL,  -- starling.core.LiteralMap
    execution_id   bigint      NOT NULL,  -- the execution whose attempt produced them
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (project, domain, task_name, cache_version, inputs_hash)
);

-- starling.core.CacheStatus of a task node's outputs.
ALTER TABLE node_executions ADD COLUMN cache_status smallint NOT NULL DEFAULT 0;
