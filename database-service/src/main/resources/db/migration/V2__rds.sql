-- Managed PostgreSQL (rdsdatabase instances): each instance is a database and a role on the
-- configured server; this service keeps their names, the sealed password and the backups.

CREATE TABLE rds_instances (
  service_id        text        PRIMARY KEY,
  tenant_id         text        NOT NULL,
  database_name     text        NOT NULL UNIQUE,
  role_name         text        NOT NULL UNIQUE,
  -- The role's password, AES-GCM under cumulus.rds.master-key (associated data: the service id).
  password_sealed   bytea       NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  password_rotated_at timestamptz NOT NULL DEFAULT now()
);

-- Logical dumps (pg_dump, gzip) kept as files; rows outlive nothing: deleted with their file.
CREATE TABLE rds_backups (
  backup_id      uuid        PRIMARY KEY,
  service_id     text        NOT NULL,
  tenant_id      text        NOT NULL,
  status         text        NOT NULL,
  location       text        NOT NULL,
  size_bytes     bigint,
  sha256         text,
  retention_days integer     NOT NULL,
  error          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  completed_at   timestamptz,
  expires_at     timestamptz NOT NULL
);

CREATE INDEX rds_backups_service ON rds_backups (service_id, created_at DESC);
CREATE INDEX rds_backups_expiry ON rds_backups (expires_at);
