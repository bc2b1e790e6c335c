-- Per-plan limits of rdsdatabase instances (issue 24): decided from the tenant's plan when the
-- instance is provisioned, stored here and set on its role; changed when the plan changes.
-- Instances made before have the service-wide limits of the time and no plan: the first check
-- against auth-service gives them their plan's.
ALTER TABLE rds_instances
  ADD COLUMN plan                 text,
  ADD COLUMN connection_limit     integer NOT NULL DEFAULT 20,
  ADD COLUMN statement_timeout_ms bigint  NOT NULL DEFAULT 30000,
  ADD COLUMN work_mem             text    NOT NULL DEFAULT '16MB',
  ADD COLUMN temp_file_limit      text    NOT NULL DEFAULT '-1',
  ADD COLUMN limits_applied_at    timestamptz NOT NULL DEFAULT now();
