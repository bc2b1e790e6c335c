-- Outbound webhooks: endpoints, one message per matching platform event, one delivery per
-- (message, endpoint) and every attempt of it.
CREATE TABLE webhook_endpoints (
  id                   uuid PRIMARY KEY,
  tenant_id            text        NOT NULL,
  url                  text        NOT NULL,
  description          text        NOT NULL DEFAULT '',
  event_types          text[]      NOT NULL,
  enabled              boolean     NOT NULL DEFAULT true,
  ordered              boolean     NOT NULL DEFAULT false,
  -- the signing secret, sealed with the service's master key
  secret               bytea       NOT NULL,
  -- the secret before the last rotation, still signing until previous_expires_at
  previous_secret      bytea,
  previous_expires_at  timestamptz,
  disabled_reason      text,
  -- first failure of the current run of failures; cleared by a success
  failing_since        timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);

CREATE TABLE webhook_messages (
  -- the webhook-id: stable across retries and replays
  id          text PRIMARY KEY,
  tenant_id   text        NOT NULL,
  event_id    text        NOT NULL,
  event_type  text        NOT NULL,
  -- the exact bytes that are signed and sent
  payload     text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_messages_tenant_time ON webhook_messages (tenant_id, created_at);

CREATE TABLE webhook_deliveries (
  id              uuid PRIMARY KEY,
  seq             bigserial   NOT NULL,
  message_id      text        NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
  endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  -- pending, succeeded, failed
  status          text        NOT NULL DEFAULT 'pending',
  attempts        integer     NOT NULL DEFAULT 0,
  -- claimed by a worker (until next_attempt_at, its lease)
  in_flight       boolean     NOT NULL DEFAULT false,
  -- when a pending delivery is next due; a claim moves it past its lease, so a worker that dies
  -- mid-delivery leaves it to be tried again with the same webhook-id
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq);
CREATE INDEX webhook_deliveries_in_flight ON webhook_deliveries (endpoint_id) WHERE in_flight;

CREATE TABLE webhook_attempts (
  id               uuid PRIMARY KEY,
  delivery_id      uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  endpoint_id      uuid        NOT NULL,
  message_id       text        NOT NULL,
  attempt          integer     NOT NULL,
  status_code      integer,
  latency_ms       bigint      NOT NULL,
  response_excerpt text        NOT NULL DEFAULT '',
  error            text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, created_at DESC);
