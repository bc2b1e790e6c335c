-- Orders of every tenant. Amounts are integer minor units of the ISO currency (cents for usd).
-- saga_step is where the order's saga stands; OrderSaga resumes every step from here after a
-- failure or a restart, and every Stripe call of a step carries an idempotency key derived from
-- the order id and the step, so a resumed step never charges or refunds twice.
CREATE TABLE orders (
  id                uuid PRIMARY KEY,
  tenant_id         text        NOT NULL,
  customer_id       text,
  customer_email    text        NOT NULL,
  customer_name     text,
  items             jsonb       NOT NULL,
  total_minor       bigint      NOT NULL CHECK (total_minor > 0),
  currency          text        NOT NULL,
  shipping_address  jsonb,
  billing_address   jsonb,
  status            text        NOT NULL,
  payment_status    text        NOT NULL,
  payment_intent_id text UNIQUE,
  captured_minor    bigint      NOT NULL DEFAULT 0,
  -- Refunds succeeded or in flight: never above captured_minor (refund bounds, under concurrency).
  refunded_minor    bigint      NOT NULL DEFAULT 0 CHECK (refunded_minor <= captured_minor),
  tracking_number   text,
  saga_step         text        NOT NULL,
  saga_attempts     int         NOT NULL DEFAULT 0,
  saga_next_at      timestamptz NOT NULL DEFAULT now(),
  saga_error        text,
  paid_at           timestamptz,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Keyset pagination: newest first, id breaking ties.
CREATE INDEX orders_tenant_page ON orders (tenant_id, created_at DESC, id DESC);
CREATE INDEX orders_saga_due ON orders (saga_next_at) WHERE saga_step <> 'done';

CREATE TABLE refunds (
  id               uuid PRIMARY KEY,
  order_id         uuid        NOT NULL REFERENCES orders (id),
  tenant_id        text        NOT NULL,
  amount_minor     bigint      NOT NULL CHECK (amount_minor > 0),
  reason           text,
  status           text        NOT NULL,
  stripe_refund_id text,
  stripe_created   bigint,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX refunds_pending ON refunds (created_at) WHERE status = 'pending';

-- Stripe events already handled: a redelivered or replayed event id is acknowledged, not re-run.
CREATE TABLE stripe_events (
  event_id    text PRIMARY KEY,
  type        text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Failures of external calls, for /api/monitoring/errors.
CREATE TABLE integration_errors (
  id          bigserial PRIMARY KEY,
  tenant_id   text,
  service     text        NOT NULL,
  message     text        NOT NULL,
  error       text,
  order_id    uuid,
  occurred_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX integration_errors_recent ON integration_errors (tenant_id, occurred_at DESC);
