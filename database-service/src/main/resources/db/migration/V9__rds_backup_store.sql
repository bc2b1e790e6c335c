-- Backups in a pluggable store (a local directory or an S3 bucket), encrypted at rest.
-- store: which store holds the object ('local', 's3'); format: 'gzip' for backups taken before
-- encryption (restored as they are), 'gzip+aes256gcm-chunked-v1' for the gzip stream sealed in
-- AES-256-GCM chunks; data_key: the backup's own AES key sealed by the master key (its id as
-- associated data).
ALTER TABLE rds_backups
  ADD COLUMN store    text  NOT NULL DEFAULT 'local',
  ADD COLUMN format   text  NOT NULL DEFAULT 'gzip',
  ADD COLUMN data_key bytea;
