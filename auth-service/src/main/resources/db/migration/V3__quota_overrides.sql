-- Per-tenant quota overrides on top of the plan's limits: {"instances": 20, "stored_bytes": ...}.
ALTER TABLE tenants ADD COLUMN quota_overrides JSONB NOT NULL DEFAULT '{}';
