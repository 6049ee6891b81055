-- The propeller rewrites execution, node and attempt rows a few times each within seconds of
-- inserting them (version, phase, times). Room left free on each page lets PostgreSQL update
-- them in place (heap-only tuples) instead of adding an entry to every index per update.
-- Vacuum and analyze run after a small share of such a table changed, not the default 20 % and
-- 10 %: dead versions pile up fast, and the planner must see these tables grow. Until their
-- statistics are renewed, the cached plans of the propeller's batched statements are the
-- plans for the table as it was, and a plan made for an almost empty table scans it whole.
ALTER TABLE executions SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05,
                            autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE node_executions SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05,
                                 autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE task_executions SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05,
                                 autovacuum_analyze_scale_factor = 0.02);

-- Listing the active executions of a project and domain (what a dashboard or a client waiting
-- for its runs asks for) walks only those, however many ended before them.
CREATE INDEX executions_active_by_project ON executions (project, domain, id DESC)
    WHERE phase IN (0, 1, 2, 3, 5, 9);
