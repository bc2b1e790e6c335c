-- Encryption at rest (SSE-S3 semantics). Each tenant has one random 256-bit data key, stored
-- wrapped (AES-256-GCM) by the service's master key (CUMULUS_STORAGE_MASTER_KEY) with the tenant id
-- as associated data, so a wrapped key cannot be moved onto another tenant. Losing or changing the
-- master key makes every encrypted object unreadable.
CREATE TABLE storage_tenant_keys (
  tenant_id   text PRIMARY KEY,
  wrapped_key bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Whether a version's bytes are encrypted at rest: decided per write (bucket default or the
-- request's x-amz-server-side-encryption), so a bucket can hold both kinds.
ALTER TABLE storage_objects ADD COLUMN encrypted boolean NOT NULL DEFAULT false;

-- Decided at CreateMultipartUpload: every part and the assembled object follow it.
ALTER TABLE storage_multipart_uploads ADD COLUMN encrypted boolean NOT NULL DEFAULT false;
