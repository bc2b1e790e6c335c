-- Idempotency-Key on produce: the first request with a key produces and records its answer; a
-- retry with the same key and body gets that answer again instead of producing twice. A row
-- without an answer is a produce in progress. Keys are kept for 24 hours.
CREATE TABLE kafka_produce_keys (
    service_id   text NOT NULL,
    idem_key     text NOT NULL,
    request_hash text NOT NULL,
    response     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, idem_key)
);

CREATE INDEX kafka_produce_keys_created ON kafka_produce_keys (created_at);
