-- Functions of the function instances (seed 000 "function"), one namespace per instance. Each
-- function has its mutable $LATEST row and immutable published versions ('1', '2', ...).
-- revision changes with every change of code or configuration (warm processes are pooled by it).
CREATE TABLE functions (
    service_id           TEXT        NOT NULL,
    name                 TEXT        NOT NULL,
    version              TEXT        NOT NULL,
    tenant_id            TEXT        NOT NULL,
    revision             UUID        NOT NULL,
    runtime              TEXT        NOT NULL,
    effective_runtime    TEXT        NOT NULL,
    handler              TEXT        NOT NULL,
    role                 TEXT,
    description          TEXT        NOT NULL DEFAULT '',
    timeout_seconds      INT         NOT NULL,
    memory_mb            INT         NOT NULL,
    environment          JSONB       NOT NULL DEFAULT '{}',
    network_allowed      BOOLEAN     NOT NULL DEFAULT false,
    reserved_concurrency INT,
    code                 BYTEA       NOT NULL,
    code_sha256          TEXT        NOT NULL,
    code_size            BIGINT      NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, name, version)
);

-- Aliases name a published version of a function.
CREATE TABLE function_aliases (
    service_id    TEXT        NOT NULL,
    function_name TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    version       TEXT        NOT NULL,
    description   TEXT        NOT NULL DEFAULT '',
    revision      UUID        NOT NULL,
    PRIMARY KEY (service_id, function_name, name)
);

-- Asynchronous (Event) invocations until they succeed or are dead-lettered. A worker claims due
-- rows with FOR UPDATE SKIP LOCKED; a failed attempt is retried (attempts < max) after a growing
-- delay, then the invocation is dead-lettered and an event says so.
CREATE TABLE event_invocations (
    id              UUID        PRIMARY KEY,
    service_id      TEXT        NOT NULL,
    tenant_id       TEXT        NOT NULL,
    function_name   TEXT        NOT NULL,
    qualifier       TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    status          TEXT        NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    error_type      TEXT,
    error_message   TEXT,
    result          TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX event_invocations_due ON event_invocations (next_attempt_at) WHERE status = 'queued';
CREATE INDEX event_invocations_function ON event_invocations (service_id, function_name, status);

-- One row per finished or throttled invocation, for the metrics (count, errors, throttles,
-- duration percentiles per window). outcome: success, error or throttled.
CREATE TABLE invocation_records (
    service_id      TEXT             NOT NULL,
    function_name   TEXT             NOT NULL,
    at              TIMESTAMPTZ      NOT NULL DEFAULT now(),
    invocation_type TEXT             NOT NULL,
    outcome         TEXT             NOT NULL,
    duration_ms     DOUBLE PRECISION,
    init_ms         DOUBLE PRECISION
);

CREATE INDEX invocation_records_window ON invocation_records (service_id, function_name, at);
