-- Seed 001 (EventFlow) container functions: a tenant's long-running containers, kept at `replicas`
-- copies by the reconciler. Deleting is soft (deleted_at): the name is free again at once, the row
-- stays for the record. The reconciler claims a function with a lease, so of several service
-- replicas exactly one acts on its containers at a time.
CREATE TABLE container_functions (
    id                 UUID        PRIMARY KEY,
    tenant_id          TEXT        NOT NULL,
    user_id            TEXT        NOT NULL,
    name               TEXT        NOT NULL,
    image              TEXT        NOT NULL,
    replicas           INT         NOT NULL,
    command            JSONB,
    env                JSONB       NOT NULL DEFAULT '{}',
    resources          JSONB,
    stopped            BOOLEAN     NOT NULL DEFAULT false,
    status             TEXT        NOT NULL,
    status_message     TEXT,
    available_replicas INT         NOT NULL DEFAULT 0,
    restarts           INT         NOT NULL DEFAULT 0,
    lease_owner        TEXT,
    lease_until        TIMESTAMPTZ,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    deleted_at         TIMESTAMPTZ
);

CREATE UNIQUE INDEX container_functions_live_name
    ON container_functions (tenant_id, name) WHERE deleted_at IS NULL;
