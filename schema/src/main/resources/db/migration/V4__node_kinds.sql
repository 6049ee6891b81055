-- Branch nodes record the case they took: the case node's id, then the ids taken in nested
-- branches, joined by '/'.
ALTER TABLE node_executions ADD COLUMN branch_taken text;

-- Launch-plan nodes start child executions. A child names the node of its parent execution
-- that started it (one child per node attempt) and how deeply it is nested, so that runaway
-- recursion stops at a bound.
ALTER TABLE executions
    ADD COLUMN parent_execution bigint REFERENCES executions (id),
    ADD COLUMN parent_node_id   text,
    ADD COLUMN nesting          int NOT NULL DEFAULT 0;
CREATE INDEX executions_by_parent ON executions (parent_execution)
    WHERE parent_execution IS NOT NULL;
