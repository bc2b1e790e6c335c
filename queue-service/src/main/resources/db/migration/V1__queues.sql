-- Queues of the queue instances (seed 000 "queue"), one namespace per instance.
CREATE TABLE queues (
    id                   UUID        PRIMARY KEY,
    service_id           TEXT        NOT NULL,
    tenant_id            TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    fifo                 BOOLEAN     NOT NULL,
    content_based_dedup  BOOLEAN     NOT NULL,
    visibility_timeout   INT         NOT NULL,
    retention_seconds    INT         NOT NULL,
    delay_seconds        INT         NOT NULL,
    max_message_size     INT         NOT NULL,
    receive_wait_seconds INT         NOT NULL,
    -- Redrive policy: after max_receive_count receives a message moves to dead_letter_queue (a
    -- queue name of the same instance); both null without one.
    max_receive_count    INT,
    dead_letter_queue    TEXT,
    tags                 JSONB       NOT NULL DEFAULT '{}',
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    purged_at            TIMESTAMPTZ,
    UNIQUE (service_id, name)
);

-- Messages until deleted or expired. A message is visible when visible_at <= now(): delayed
-- (never received) or in flight (received) otherwise. receipt_token is drawn anew at every
-- receive: a receipt handle names it, so only the latest receiver can delete the message.
CREATE TABLE queue_messages (
    id                UUID        PRIMARY KEY,
    queue_id          UUID        NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    seq               BIGINT      GENERATED ALWAYS AS IDENTITY,
    body              TEXT        NOT NULL,
    attributes        JSONB,
    md5_body          TEXT        NOT NULL,
    md5_attributes    TEXT,
    group_id          TEXT,
    dedup_id          TEXT,
    sender_id         TEXT,
    sent_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    visible_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    receive_count     INT         NOT NULL DEFAULT 0,
    first_received_at TIMESTAMPTZ,
    receipt_token     UUID,
    dead_letter_from  TEXT
);

CREATE INDEX queue_messages_ready ON queue_messages (queue_id, visible_at, seq);
CREATE INDEX queue_messages_group ON queue_messages (queue_id, group_id, seq) WHERE group_id IS NOT NULL;
CREATE INDEX queue_messages_expiry ON queue_messages (expires_at);

-- FIFO message groups: a receiver locks a group's row (FOR UPDATE SKIP LOCKED) before it takes
-- the group's messages, so two receivers never take messages of one group at once.
CREATE TABLE queue_groups (
    queue_id     UUID        NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    group_id     TEXT        NOT NULL,
    last_sent_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (queue_id, group_id)
);

-- FIFO deduplication ids, each live for 5 minutes after its first send.
CREATE TABLE queue_dedup (
    queue_id   UUID        NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    dedup_id   TEXT        NOT NULL,
    message_id UUID        NOT NULL,
    seq        BIGINT,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (queue_id, dedup_id)
);

CREATE INDEX queue_dedup_expiry ON queue_dedup (expires_at);
