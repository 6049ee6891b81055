-- Attempts of a node that were lost with the replica that ran them (a crash, a restart, a shard
-- that moved to another replica): each is recorded in task_executions as failed with the error
-- AttemptLost, and the node runs a new attempt that does not count against the task's retries.
-- Map subtasks count theirs in the packed subtask state instead.
ALTER TABLE node_executions ADD COLUMN lost_attempts int NOT NULL DEFAULT 0;
