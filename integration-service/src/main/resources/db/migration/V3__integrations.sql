-- Seed 003: the external services a tenant integrates (inbound webhooks, health, sync sources).
CREATE TABLE integration_services (
  id                 uuid PRIMARY KEY,
  tenant_id          text        NOT NULL,
  tenant_domain      text        NOT NULL,
  name               text        NOT NULL,
  base_url           text        NOT NULL,
  -- verifies X-Signature of inbound webhooks; sealed with the master key
  secret             bytea       NOT NULL,
  signature_required boolean     NOT NULL DEFAULT true,
  -- sent as a bearer token when syncing from base_url; sealed
  api_key            bytea,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_domain, name)
);
CREATE INDEX integration_services_tenant ON integration_services (tenant_id, created_at);

CREATE TABLE inbound_events (
  id           uuid PRIMARY KEY,
  tenant_id    text        NOT NULL,
  service_id   uuid        NOT NULL REFERENCES integration_services (id) ON DELETE CASCADE,
  event_type   text        NOT NULL,
  payload      jsonb       NOT NULL,
  status       text        NOT NULL,
  retry_count  integer     NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE INDEX inbound_events_tenant ON inbound_events (tenant_id, created_at DESC);

CREATE TABLE integration_health (
  service_id    uuid PRIMARY KEY REFERENCES integration_services (id) ON DELETE CASCADE,
  id            uuid        NOT NULL,
  status        text        NOT NULL,
  response_time double precision NOT NULL,
  last_check    timestamptz NOT NULL,
  error_message text        NOT NULL DEFAULT ''
);

-- Sync jobs: resumable (cursor = records fetched so far), claimed with a lease.
CREATE TABLE sync_jobs (
  id              uuid PRIMARY KEY,
  tenant_id       text        NOT NULL,
  service_id      uuid        NOT NULL REFERENCES integration_services (id) ON DELETE CASCADE,
  sync_type       text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending',
  cursor          integer     NOT NULL DEFAULT 0,
  total           integer,
  records_synced  integer     NOT NULL DEFAULT 0,
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  error           text        NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL DEFAULT now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
CREATE INDEX sync_jobs_due ON sync_jobs (next_attempt_at) WHERE status IN ('pending', 'running');
CREATE INDEX sync_jobs_tenant ON sync_jobs (tenant_id, created_at DESC);
-- at most one unfinished job per source and type: triggering again is idempotent
CREATE UNIQUE INDEX sync_jobs_one_active ON sync_jobs (service_id, sync_type)
  WHERE status IN ('pending', 'running');

-- The tenant's copy of synced records, keyed by the source's id: a re-run updates, never duplicates.
CREATE TABLE synced_records (
  tenant_id   text        NOT NULL,
  service_id  uuid        NOT NULL REFERENCES integration_services (id) ON DELETE CASCADE,
  data_type   text        NOT NULL,
  external_id text        NOT NULL,
  data        jsonb       NOT NULL,
  synced_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, service_id, data_type, external_id)
);

-- Seed 003's mock services: a per-tenant sandbox of users, subscriptions, notifications.
CREATE TABLE mock_records (
  id          uuid PRIMARY KEY,
  tenant_id   text        NOT NULL,
  type        text        NOT NULL,
  data        jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mock_records_tenant ON mock_records (tenant_id, type, created_at, id);
