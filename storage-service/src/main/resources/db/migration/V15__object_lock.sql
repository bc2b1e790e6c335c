-- S3 Object Lock. A bucket created with it (or given it later, while versioning is enabled) keeps
-- it for good, with an optional default retention rule (a mode and Days or Years) that new
-- versions get. Each version keeps its own retention (mode and retain-until instant, both or
-- neither) and legal hold (NULL: never set, as S3 tells apart from OFF) in its row, so a GET or
-- HEAD reads them with the row it reads anyway; deletes of a version check them under the key's
-- lock. A multipart upload keeps what CreateMultipartUpload asked for until it completes.
ALTER TABLE storage_buckets
  ADD COLUMN object_lock       boolean NOT NULL DEFAULT false,
  ADD COLUMN lock_default_mode text CHECK (lock_default_mode IN ('GOVERNANCE', 'COMPLIANCE')),
  ADD COLUMN lock_default_days integer CHECK (lock_default_days > 0),
  ADD COLUMN lock_default_years integer CHECK (lock_default_years > 0);
-- A default rule needs Object Lock, a mode and exactly one of Days and Years; Object Lock needs
-- versioning enabled for good.
ALTER TABLE storage_buckets ADD CONSTRAINT storage_buckets_lock_rule CHECK (
  (lock_default_mode IS NULL AND lock_default_days IS NULL AND lock_default_years IS NULL)
  OR (object_lock AND lock_default_mode IS NOT NULL
      AND (lock_default_days IS NULL) <> (lock_default_years IS NULL)));
ALTER TABLE storage_buckets ADD CONSTRAINT storage_buckets_lock_versioned CHECK (
  NOT object_lock OR versioning_status = 'Enabled');

ALTER TABLE storage_objects
  ADD COLUMN retention_mode text CHECK (retention_mode IN ('GOVERNANCE', 'COMPLIANCE')),
  ADD COLUMN retain_until   timestamptz,
  ADD COLUMN legal_hold     boolean;
ALTER TABLE storage_objects ADD CONSTRAINT storage_objects_retention CHECK (
  (retention_mode IS NULL) = (retain_until IS NULL));

ALTER TABLE storage_multipart_uploads
  ADD COLUMN retention_mode text CHECK (retention_mode IN ('GOVERNANCE', 'COMPLIANCE')),
  ADD COLUMN retain_until   timestamptz,
  ADD COLUMN legal_hold     boolean;

-- storage_commit_object (V12) with the new version's retention and legal hold. A write never
-- replaces a "null" version that is locked (only a bucket that had versioning suspended writes
-- "null" versions, and a bucket with Object Lock cannot be suspended: this guards a node whose
-- bucket cache is a moment old).
DROP FUNCTION storage_commit_object(uuid, text, text, bigint, text, text, jsonb, text, timestamptz,
  boolean, bytea, jsonb, uuid, text, text, text, text, text, text, jsonb);
CREATE FUNCTION storage_commit_object(
  p_bucket_id      uuid,
  p_key            text,
  p_version_id     text,
  p_size           bigint,
  p_etag           text,
  p_content_type   text,
  p_user_metadata  jsonb,
  p_storage_path   text,
  p_last_modified  timestamptz,
  p_encrypted      boolean,
  p_inline_data    bytea,
  p_tags           jsonb,
  p_retention_mode text,
  p_retain_until   timestamptz,
  p_legal_hold     boolean,
  p_event_id       uuid,
  p_topic          text,
  p_event_key      text,
  p_event_type     text,
  p_source         text,
  p_tenant_id      text,
  p_request_id     text,
  p_payload        jsonb)
RETURNS text  -- the replaced version's storage path, or null (none, or its bytes were inline)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  replaced text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_bucket_id::text || '/' || p_key, 0));

  IF p_version_id = 'null' THEN
    IF EXISTS (SELECT 1 FROM storage_objects
               WHERE bucket_id = p_bucket_id AND object_key = p_key AND version_id = 'null'
                 AND (legal_hold OR retain_until > now())) THEN
      RAISE EXCEPTION 'the "null" version of % is locked', p_key
        USING ERRCODE = 'CL001';
    END IF;
    DELETE FROM storage_objects
    WHERE bucket_id = p_bucket_id AND object_key = p_key AND version_id = 'null'
    RETURNING storage_path INTO replaced;
  END IF;

  UPDATE storage_objects SET is_latest = false
  WHERE bucket_id = p_bucket_id AND object_key = p_key AND is_latest;

  INSERT INTO storage_objects (bucket_id, object_key, version_id, is_latest, delete_marker, size,
    etag, content_type, user_metadata, storage_path, last_modified, encrypted, inline_data, tags,
    retention_mode, retain_until, legal_hold)
  VALUES (p_bucket_id, p_key, p_version_id, true, false, p_size, p_etag, p_content_type,
    p_user_metadata, p_storage_path, p_last_modified, p_encrypted, p_inline_data, p_tags,
    p_retention_mode, p_retain_until, p_legal_hold);

  -- The column list mirrors Outbox.INSERT (platform); the values come from Outbox.rowForTenant.
  INSERT INTO cumulus_outbox
    (event_id, topic, event_key, event_type, source, tenant_id, request_id, payload)
  VALUES (p_event_id, p_topic, p_event_key, p_event_type, p_source, p_tenant_id, p_request_id,
    p_payload);

  RETURN replaced;
END;
$$;
