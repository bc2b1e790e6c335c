-- Transactional outbox: a service inserts its events here in the same transaction as the state
-- change; the relay publishes them to Kafka in seq order and stamps published_at.
CREATE TABLE cumulus_outbox (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     UUID        NOT NULL UNIQUE,
    topic        TEXT        NOT NULL,
    event_key    TEXT        NOT NULL,
    event_type   TEXT        NOT NULL,
    source       TEXT        NOT NULL,
    tenant_id    TEXT,
    request_id   TEXT,
    payload      JSONB       NOT NULL,
    occurred_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);

CREATE INDEX cumulus_outbox_pending ON cumulus_outbox (seq) WHERE published_at IS NULL;
CREATE INDEX cumulus_outbox_published ON cumulus_outbox (published_at) WHERE published_at IS NOT NULL;

-- Inbox: CloudEvent ids a consumer has already handled, so redelivery is harmless.
CREATE TABLE cumulus_inbox (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
