-- S3 multipart uploads in flight: each part's bytes are a blob of their own until Complete
-- concatenates them into the object's blob (or Abort deletes them).

CREATE TABLE storage_multipart_uploads (
  upload_id     text PRIMARY KEY,
  bucket_id     uuid NOT NULL REFERENCES storage_buckets (id) ON DELETE CASCADE,
  object_key    text COLLATE "C" NOT NULL CHECK (octet_length(object_key) BETWEEN 1 AND 1024),
  content_type  text NOT NULL,
  user_metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  initiated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX storage_multipart_uploads_key ON storage_multipart_uploads (bucket_id, object_key);

CREATE TABLE storage_multipart_parts (
  upload_id     text NOT NULL REFERENCES storage_multipart_uploads (upload_id) ON DELETE CASCADE,
  part_number   integer NOT NULL CHECK (part_number BETWEEN 1 AND 10000),
  size          bigint NOT NULL CHECK (size >= 0),
  etag          text NOT NULL,
  storage_path  text NOT NULL,
  last_modified timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (upload_id, part_number)
);
CREATE INDEX storage_multipart_parts_path ON storage_multipart_parts (storage_path);
