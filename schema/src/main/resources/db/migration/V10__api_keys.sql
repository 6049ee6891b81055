-- API keys. A key is "stk_<key_id>_<secret>"; only a salted SHA-256 of its secret is kept, so
-- the key is shown once, when it is created. project '*' is every project; roles are a subset
-- of read, launch, register, worker, admin. A revoked key stays, so that its id is never
-- reused and a bootstrap key once revoked is not made again.
CREATE TABLE api_keys (
    key_id      text        PRIMARY KEY,
    name        text        NOT NULL,
    project     text        NOT NULL,
    roles       text[]      NOT NULL,
    salt        bytea       NOT NULL,
    hash        bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
