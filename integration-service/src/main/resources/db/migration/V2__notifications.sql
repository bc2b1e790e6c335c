-- In-app notifications of a tenant, made from platform events; read state per user.
CREATE TABLE notifications (
  id          bigserial   PRIMARY KEY,
  tenant_id   text        NOT NULL,
  event_id    text        NOT NULL,
  type        text        NOT NULL,
  title       text        NOT NULL,
  message     text        NOT NULL,
  level       text        NOT NULL,
  data        jsonb       NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, event_id)
);
CREATE INDEX notifications_tenant ON notifications (tenant_id, created_at DESC);

CREATE TABLE notification_reads (
  notification_id bigint      NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  user_id         text        NOT NULL,
  read_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, user_id)
);

-- Which kinds a user gets by e-mail, and where.
CREATE TABLE notification_preferences (
  tenant_id    text        NOT NULL,
  user_id      text        NOT NULL,
  email        text        NOT NULL,
  email_enabled boolean    NOT NULL DEFAULT true,
  -- empty: every kind
  email_types  text[]      NOT NULL DEFAULT '{}',
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);

-- E-mails waiting to go out through SendGrid (or the local fake): retried until sent.
CREATE TABLE mail_outbox (
  id              uuid PRIMARY KEY,
  tenant_id       text        NOT NULL,
  notification_id bigint      REFERENCES notifications (id) ON DELETE SET NULL,
  to_address      text        NOT NULL,
  subject         text        NOT NULL,
  text_body       text        NOT NULL,
  html_body       text        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending',
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  provider_id     text,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';

-- The local SendGrid-compatible inbox: every mail accepted by /v3/mail/send.
CREATE TABLE fake_mails (
  id          text PRIMARY KEY,
  tenant_id   text,
  from_address text       NOT NULL,
  to_addresses text[]     NOT NULL,
  subject     text        NOT NULL,
  request     jsonb       NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fake_mails_tenant ON fake_mails (tenant_id, received_at DESC);
