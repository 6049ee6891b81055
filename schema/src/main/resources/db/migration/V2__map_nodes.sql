-- Map nodes keep the state of their subtasks packed in their node's row: two bytes per
-- subtask (phase as starling.core.NodeExecution.Phase, attempts started), rewritten whole
-- whenever a subtask changes. A map of 100,000 items is 200 KB, not 100,000 rows.
ALTER TABLE node_executions ADD COLUMN subtasks bytea;

-- Outputs of the subtasks that succeeded while their map node runs, so that a propeller that
-- restarts mid-map does not run them again. When the map node ends, its outputs (the lists)
-- go to its node row and these rows are deleted in the same transaction.
CREATE TABLE subtask_outputs (
    execution_id  bigint  NOT NULL,
    node_id       text    NOT NULL,
    subtask       int     NOT NULL,
    outputs       bytea   NOT NULL,  -- starling.core.LiteralMap
    PRIMARY KEY (execution_id, node_id, subtask),
    FOREIGN KEY (execution_id, node_id) REFERENCES node_executions (execution_id, node_id)
        ON DELETE CASCADE
);
