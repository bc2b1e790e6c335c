-- Storage instances, buckets and object metadata. Object bytes live on the filesystem (see
-- FileSystemBlobStore); storage_path is relative to the blob root.

CREATE TABLE storage_instances (
  service_id text PRIMARY KEY,
  tenant_id  text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted    boolean NOT NULL DEFAULT false
);
CREATE INDEX storage_instances_tenant ON storage_instances (tenant_id);

CREATE TABLE storage_buckets (
  id            uuid PRIMARY KEY,
  service_id    text NOT NULL REFERENCES storage_instances (service_id) ON DELETE CASCADE,
  name          text NOT NULL,
  versioning    boolean NOT NULL DEFAULT false,
  encryption    boolean NOT NULL DEFAULT false,
  public_access boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT storage_buckets_name UNIQUE (service_id, name)
);

CREATE TABLE storage_objects (
  bucket_id     uuid NOT NULL REFERENCES storage_buckets (id) ON DELETE CASCADE,
  -- S3 orders keys by their UTF-8 bytes: the C collation does the same.
  object_key    text COLLATE "C" NOT NULL CHECK (octet_length(object_key) BETWEEN 1 AND 1024),
  size          bigint NOT NULL CHECK (size >= 0),
  etag          text NOT NULL,
  content_type  text NOT NULL,
  user_metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  storage_path  text NOT NULL,
  last_modified timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (bucket_id, object_key)
);
CREATE INDEX storage_objects_path ON storage_objects (storage_path);
