-- S3 bucket lifecycle and CORS configurations: one document per bucket (rules as jsonb, the shape
-- of the domain records), gone with the bucket.
-- The lifecycle worker leases a bucket (lease_owner/lease_until) for the time of one pass, so two
-- storage-service instances never apply the same bucket's rules at once; a crashed instance's
-- lease simply runs out.

CREATE TABLE storage_bucket_lifecycle (
  bucket_id   uuid PRIMARY KEY REFERENCES storage_buckets (id) ON DELETE CASCADE,
  rules       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  last_run_at timestamptz
);

CREATE TABLE storage_bucket_cors (
  bucket_id  uuid PRIMARY KEY REFERENCES storage_buckets (id) ON DELETE CASCADE,
  rules      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Preflight requests are unsigned: they find a bucket by name alone.
CREATE INDEX storage_buckets_by_name ON storage_buckets (name);
-- The worker's age scans: noncurrent versions and uploads by bucket.
CREATE INDEX storage_multipart_uploads_initiated ON storage_multipart_uploads (bucket_id, initiated_at);
