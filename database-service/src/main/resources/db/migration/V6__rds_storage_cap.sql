-- Storage cap per plan of rdsdatabase instances (issue 24): the plan's database size limit, the
-- size the storage worker last measured, and whether the instance is read-only for being over it.
-- storage_checked_at is also the worker's claim: replicas take instances due for a check with
-- FOR UPDATE SKIP LOCKED, so each is measured by one node per interval.
ALTER TABLE rds_instances
  ADD COLUMN storage_limit        text        NOT NULL DEFAULT '-1',
  ADD COLUMN size_bytes           bigint,
  ADD COLUMN storage_checked_at   timestamptz,
  ADD COLUMN storage_exceeded_at  timestamptz;
