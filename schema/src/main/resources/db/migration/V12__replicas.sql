-- What each running replica says of itself, for ClusterService.DescribeCluster: one row per
-- process (instance), rewritten every second with the database's now() (so the replicas'
-- clocks need not agree). A row not rewritten for a few seconds is a replica gone, and left
-- out of the view; a graceful stop deletes its row; a replica starting deletes the rows of the
-- process that listened on its address before it, and the rows long dead.
CREATE TABLE replicas (
    instance      uuid        PRIMARY KEY,
    replica_id    text        NOT NULL,   -- the owner name in shard_leases, schedule_leases
    grpc_address  text        NOT NULL,
    status        bytea       NOT NULL,   -- starling.admin.ReplicaStatus, without its shards
    heartbeat_at  timestamptz NOT NULL
);
