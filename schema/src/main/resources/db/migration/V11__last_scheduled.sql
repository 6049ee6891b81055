-- The last slot each launch plan version fired (ListSchedules reports it per name): one index
-- lookup per version, however many executions the schedule made. Only scheduled executions
-- are in it, so a manual execution's insert does not pay for it.
CREATE INDEX executions_scheduled ON executions (launch_plan_id, scheduled_at DESC)
    WHERE scheduled_at IS NOT NULL;
