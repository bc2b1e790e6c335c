-- A tenant's login to a private registry. The password is sealed (AES-GCM) under the service's
-- master key with the row's id as associated data; a new id is drawn whenever the login changes,
-- so registry tokens cached for the old login (keyed by this id) are never reused for the new one.
CREATE TABLE registry_logins (
  id              text        PRIMARY KEY,
  tenant_id       text        NOT NULL,
  registry        text        NOT NULL,
  username        text        NOT NULL,
  password_sealed bytea       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (tenant_id, registry)
);
