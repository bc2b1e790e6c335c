-- S3 object versioning. One table holds every version: storage_objects gains a version id, an
-- is-latest flag and a delete-marker flag, so "the current object" is the row WHERE is_latest AND
-- NOT delete_marker, and the janitor's reference check (any row's storage_path) covers every
-- version's bytes without a second table. Existing rows become each key's only version, with S3's
-- version id "null" (what an object written before versioning was enabled is called).
-- seq orders a key's versions newest first (timestamps can tie).

ALTER TABLE storage_buckets
  ADD COLUMN versioning_status text NOT NULL DEFAULT 'Unversioned'
    CHECK (versioning_status IN ('Unversioned', 'Enabled', 'Suspended'));
UPDATE storage_buckets SET versioning_status = 'Enabled' WHERE versioning;
ALTER TABLE storage_buckets DROP COLUMN versioning;

ALTER TABLE storage_objects
  ADD COLUMN version_id    text NOT NULL DEFAULT 'null',
  ADD COLUMN is_latest     boolean NOT NULL DEFAULT true,
  ADD COLUMN delete_marker boolean NOT NULL DEFAULT false,
  ADD COLUMN seq           bigint GENERATED ALWAYS AS IDENTITY,
  ALTER COLUMN etag DROP NOT NULL,
  ALTER COLUMN content_type DROP NOT NULL,
  ALTER COLUMN storage_path DROP NOT NULL;
-- A delete marker has no bytes; every other version has bytes, an ETag and a content type.
ALTER TABLE storage_objects ADD CONSTRAINT storage_objects_marker CHECK (
  (delete_marker AND storage_path IS NULL)
  OR (NOT delete_marker AND storage_path IS NOT NULL AND etag IS NOT NULL
      AND content_type IS NOT NULL));
ALTER TABLE storage_objects DROP CONSTRAINT storage_objects_pkey;
ALTER TABLE storage_objects ADD PRIMARY KEY (bucket_id, object_key, version_id);
-- At most one latest version per key; also the index of current-object listings.
CREATE UNIQUE INDEX storage_objects_latest ON storage_objects (bucket_id, object_key)
  WHERE is_latest;
CREATE INDEX storage_objects_history ON storage_objects (bucket_id, object_key, seq DESC);
