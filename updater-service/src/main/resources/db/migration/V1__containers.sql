-- Containers a tenant runs through the API. The engine knows them as cumulus-<id>-<name>, labelled
-- with the tenant; this table is the source of truth for who owns what.
CREATE TABLE containers (
  id                bigserial PRIMARY KEY,
  tenant_id         text        NOT NULL,
  name              text        NOT NULL,
  image             text        NOT NULL,
  image_digest      text,
  docker_id         text,
  status            text        NOT NULL,
  config            jsonb       NOT NULL,
  update_policy     jsonb       NOT NULL,
  health_check      jsonb,
  health_status     text,
  health_checked_at timestamptz,
  update_available  boolean     NOT NULL DEFAULT false,
  latest_digest     text,
  -- when the update policy's cron next looks for a new image; claiming a due row moves it on
  next_check_at     timestamptz,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX containers_due ON containers (next_check_at) WHERE next_check_at IS NOT NULL;

-- Every update: history, the queue of scheduled ones (status pending, scheduled_at) and the lease
-- of the updater instance running one (lease_owner, lease_until).
CREATE TABLE updates (
  id             uuid PRIMARY KEY,
  tenant_id      text        NOT NULL,
  container_id   bigint      NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
  container_name text        NOT NULL,
  batch_id       uuid,
  trigger        text        NOT NULL,
  strategy       text        NOT NULL,
  status         text        NOT NULL,
  from_image     text,
  from_digest    text,
  to_image       text        NOT NULL,
  to_digest      text,
  options        jsonb       NOT NULL,
  scheduled_at   timestamptz NOT NULL,
  started_at     timestamptz,
  completed_at   timestamptz,
  success        boolean,
  rolled_back    boolean     NOT NULL DEFAULT false,
  logs           jsonb       NOT NULL DEFAULT '[]',
  lease_owner    text,
  lease_until    timestamptz,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX updates_history ON updates (tenant_id, container_id, created_at DESC);
CREATE INDEX updates_due ON updates (scheduled_at) WHERE status IN ('pending', 'in_progress');

-- One open update per container: a second request waits for the first to end (409 until then).
CREATE UNIQUE INDEX updates_one_open ON updates (container_id)
  WHERE status IN ('pending', 'awaiting_approval', 'in_progress');
