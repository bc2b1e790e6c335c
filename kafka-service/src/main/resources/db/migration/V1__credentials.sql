-- Kafka SASL/SCRAM users created for tenants. The password is never stored here: the cluster
-- keeps only its salted SCRAM hash, and the API shows the password once (create, rotate).
CREATE TABLE kafka_credentials (
    username    text PRIMARY KEY,
    tenant_id   text NOT NULL,
    service_id  text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz
);

CREATE INDEX kafka_credentials_service ON kafka_credentials (service_id);
