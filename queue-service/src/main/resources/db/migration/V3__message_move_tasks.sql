-- Message move tasks (SQS's StartMessageMoveTask): a dead-letter queue's messages moved back to
-- their source queues (or to one destination). The task row is locked while a step moves a batch,
-- and the batch's DELETE + INSERT and the task's counter commit together: a message moves exactly
-- once, whatever replica runs the step and whenever one stops.
CREATE TABLE queue_move_tasks (
    id                  UUID        PRIMARY KEY,
    service_id          TEXT        NOT NULL,
    tenant_id           TEXT        NOT NULL,
    source_queue_id     UUID        NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    source_arn          TEXT        NOT NULL,
    -- null: each message goes back to the queue it was dead-lettered from (dead_letter_from)
    destination_name    TEXT,
    destination_arn     TEXT,
    -- MaxNumberOfMessagesPerSecond as asked (null: as fast as a step allows)
    max_per_second      INT,
    status              TEXT        NOT NULL,
    failure_reason      TEXT,
    -- the source's messages up to this sequence number (as it was at the start) are moved
    last_seq            BIGINT      NOT NULL,
    to_move             BIGINT      NOT NULL,
    moved               BIGINT      NOT NULL DEFAULT 0,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    next_step_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at         TIMESTAMPTZ
);

-- SQS allows one active task per source queue.
CREATE UNIQUE INDEX queue_move_tasks_active ON queue_move_tasks (source_queue_id)
    WHERE status IN ('RUNNING', 'CANCELLING');
CREATE INDEX queue_move_tasks_due ON queue_move_tasks (next_step_at) WHERE status = 'RUNNING';
CREATE INDEX queue_move_tasks_source ON queue_move_tasks (source_queue_id, started_at DESC);
