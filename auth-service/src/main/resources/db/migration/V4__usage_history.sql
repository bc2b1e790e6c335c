-- An hourly sample of each tenant's storage (issue 32: the console's storage-growth chart), taken
-- by UsageSampler. One row per (tenant, hour): with two replicas the first insert wins and the
-- other's is dropped (ON CONFLICT DO NOTHING). Rows older than the retention are deleted.
CREATE TABLE usage_history (
    tenant_id    TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    hour         TIMESTAMPTZ NOT NULL,
    stored_bytes BIGINT      NOT NULL,
    objects      BIGINT      NOT NULL,
    buckets      BIGINT      NOT NULL,
    sampled_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, hour)
);

-- The retention sweep deletes by hour across tenants.
CREATE INDEX usage_history_hour ON usage_history (hour);
