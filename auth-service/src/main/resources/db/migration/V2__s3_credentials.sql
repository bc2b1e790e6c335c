-- S3-style access key pairs of s3storage instances. SigV4 verification needs the secret itself
-- (it is the HMAC key), so it cannot be hashed: it is AES-256-GCM encrypted under
-- CUMULUS_AUTH_MASTER_KEY, like the private signing keys. No foreign key to service_instances:
-- deleting an instance revokes its pairs, and the rows stay as a record of what existed.
CREATE TABLE s3_credentials (
    access_key_id    TEXT        PRIMARY KEY,
    tenant_id        TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    service_id       UUID        NOT NULL,
    secret_encrypted BYTEA       NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by       TEXT,
    revoked_at       TIMESTAMPTZ
);

CREATE INDEX s3_credentials_service ON s3_credentials (service_id);
