-- Replicas that keep crashing wait before they are replaced (CrashLoop): crashes in a row, when
-- the last one was seen, when the replacement may start and the crashed replica's exit code. Kept
-- with the function, so another service replica that takes over its lease keeps the back-off.
ALTER TABLE container_functions
    ADD COLUMN crashes        INT NOT NULL DEFAULT 0,
    ADD COLUMN last_crash_at  TIMESTAMPTZ,
    ADD COLUMN restart_at     TIMESTAMPTZ,
    ADD COLUMN last_exit_code INT;

-- One-off jobs (`:invoke`): the name is reserved here before the container starts (unique per
-- function), and the first service replica to see the container finished records its exit code,
-- once (finished_at IS NULL guards it), emitting `container.failed` for a non-zero one.
CREATE TABLE container_jobs (
    function_id   UUID        NOT NULL REFERENCES container_functions (id),
    job_name      TEXT        NOT NULL,
    tenant_id     TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ,
    exit_code     INT,
    PRIMARY KEY (function_id, job_name)
);

CREATE INDEX container_jobs_running ON container_jobs (function_id) WHERE finished_at IS NULL;
