-- Leases are renewed while their owner runs and released when it lets a shard go, so a replica
-- that lost a shard to a higher epoch can tell when it may take the shard back: only once the
-- lease it lost to was released, or has not been renewed for the lease timeout (its holder is
-- gone). Without that, two replicas that each believe they own a shard (a split brain where both
-- reach PostgreSQL) would take it from each other forever.
ALTER TABLE shard_leases ADD COLUMN renewed_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE shard_leases ADD COLUMN released_at timestamptz;
