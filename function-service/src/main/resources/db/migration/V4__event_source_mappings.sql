-- Instances of other services a mapping may read (storage, kafka, queue), learned from
-- auth-service's service.created / service.deleted: a mapping's source must be its own tenant's.
CREATE TABLE source_instances (
    service_id   TEXT        PRIMARY KEY,
    service_type TEXT        NOT NULL,
    tenant_id    TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Event source mappings (Lambda's CreateEventSourceMapping): a function of a function instance
-- fed with batches of a source's records. Replicas claim a mapping with a lease (FOR UPDATE SKIP
-- LOCKED), so one batch of a mapping runs at a time, in order. batch_attempts counts the failed
-- attempts of the batch at the head; next_attempt_at delays its retry.
CREATE TABLE event_source_mappings (
    uuid                      UUID        PRIMARY KEY,
    service_id                TEXT        NOT NULL,
    tenant_id                 TEXT        NOT NULL,
    function_name             TEXT        NOT NULL,
    qualifier                 TEXT        NOT NULL,
    source_arn                TEXT        NOT NULL,
    source_type               TEXT        NOT NULL,
    source_service_id         TEXT        NOT NULL,
    source_name               TEXT        NOT NULL,
    batch_size                INT         NOT NULL,
    batching_window_seconds   INT         NOT NULL DEFAULT 0,
    maximum_retry_attempts    INT         NOT NULL,
    starting_position         TEXT,
    report_item_failures      BOOLEAN     NOT NULL DEFAULT false,
    enabled                   BOOLEAN     NOT NULL DEFAULT true,
    last_processing_result    TEXT        NOT NULL DEFAULT 'No records processed',
    batch_attempts            INT         NOT NULL DEFAULT 0,
    next_attempt_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until               TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified             TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX event_source_mappings_function ON event_source_mappings (service_id, function_name);
CREATE INDEX event_source_mappings_source ON event_source_mappings (source_type, source_service_id, source_name) WHERE enabled;

-- Records taken from a source, waiting for (pending), or past (done, failed) their function.
-- source_key (topic-partition-offset, the storage event's id) makes a record taken twice, as
-- at-least-once sources may hand it out, one row.
CREATE TABLE event_source_records (
    mapping_id  UUID        NOT NULL REFERENCES event_source_mappings (uuid) ON DELETE CASCADE,
    seq         BIGSERIAL,
    source_key  TEXT        NOT NULL,
    item_id     TEXT        NOT NULL,
    record      TEXT        NOT NULL,
    status      TEXT        NOT NULL DEFAULT 'pending',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (mapping_id, seq),
    UNIQUE (mapping_id, source_key)
);

CREATE INDEX event_source_records_pending ON event_source_records (mapping_id, seq) WHERE status = 'pending';
