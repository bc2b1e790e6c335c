-- Service instances (seed 000) this service hosts, as announced by auth-service's service.created
-- and kept by the platform's InstanceRegistry. A deleted instance keeps its row (deleted = true),
-- so a late redelivery of its service.created cannot bring it back.
CREATE TABLE cumulus_instances (
    service_id   TEXT        PRIMARY KEY,
    service_type TEXT        NOT NULL,
    tenant_id    TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    state        TEXT        NOT NULL DEFAULT 'provisioning',
    failure      TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted      BOOLEAN     NOT NULL DEFAULT false
);

CREATE INDEX cumulus_instances_tenant ON cumulus_instances (tenant_id);
