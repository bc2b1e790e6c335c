-- SSE-C and stored checksums.
--
-- customer_key: for an object sealed under a key the client holds (S3's SSE-C), a random salt and
-- an HMAC-SHA256 of it under that key (CustomerKey.fingerprint), to tell the key of a later request
-- right (its bytes open) from wrong (403) without storing the key; null otherwise. Such an object
-- is always a blob (encrypted), never inline bytes. A multipart upload keeps the fingerprint of the
-- key CreateMultipartUpload named: every part and the completion must bring the same key.
--
-- checksum_algorithm and checksum: the x-amz-checksum-* the client sent with the bytes (verified as
-- they streamed), returned on GET/HEAD with x-amz-checksum-mode: ENABLED and by
-- GetObjectAttributes; for a multipart object the checksum of its parts' checksums with a "-N"
-- suffix, as S3's composite checksums. A multipart upload keeps the algorithm CreateMultipartUpload
-- named, and each part its own checksum.
ALTER TABLE storage_objects
  ADD COLUMN customer_key       bytea,
  ADD COLUMN checksum_algorithm text,
  ADD COLUMN checksum           text;
ALTER TABLE storage_objects ADD CONSTRAINT storage_objects_customer_key CHECK (
  customer_key IS NULL OR (encrypted AND inline_data IS NULL));
ALTER TABLE storage_objects ADD CONSTRAINT storage_objects_checksum CHECK (
  (checksum_algorithm IS NULL) = (checksum IS NULL));

ALTER TABLE storage_multipart_uploads
  ADD COLUMN customer_key       bytea,
  ADD COLUMN checksum_algorithm text;
ALTER TABLE storage_multipart_parts ADD COLUMN checksum text;

-- storage_commit_object (V15) with the new version's customer key fingerprint and checksum.
DROP FUNCTION storage_commit_object(uuid, text, text, bigint, text, text, jsonb, text, timestamptz,
  boolean, bytea, jsonb, text, timestamptz, boolean, uuid, text, text, text, text, text, text,
  jsonb);
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
  p_customer_key   bytea,
  p_checksum_algorithm text,
  p_checksum       text,
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
    retention_mode, retain_until, legal_hold, customer_key, checksum_algorithm, checksum)
  VALUES (p_bucket_id, p_key, p_version_id, true, false, p_size, p_etag, p_content_type,
    p_user_metadata, p_storage_path, p_last_modified, p_encrypted, p_inline_data, p_tags,
    p_retention_mode, p_retain_until, p_legal_hold, p_customer_key, p_checksum_algorithm,
    p_checksum);

  -- The column list mirrors Outbox.INSERT (platform); the values come from Outbox.rowForTenant.
  INSERT INTO cumulus_outbox
    (event_id, topic, event_key, event_type, source, tenant_id, request_id, payload)
  VALUES (p_event_id, p_topic, p_event_key, p_event_type, p_source, p_tenant_id, p_request_id,
    p_payload);

  RETURN replaced;
END;
$$;
