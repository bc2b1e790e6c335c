-- S3 object tagging: each version keeps its tags (up to 10 key/value pairs) in its own row, so a
-- GET or HEAD learns their count (x-amz-tagging-count) from the row it reads anyway, with no
-- further round trip. NULL: no tags. A multipart upload keeps the tags its object will get.
ALTER TABLE storage_objects ADD COLUMN tags jsonb;
ALTER TABLE storage_multipart_uploads ADD COLUMN tags jsonb;

-- storage_commit_object (V7) with the new version's tags.
DROP FUNCTION storage_commit_object(uuid, text, text, bigint, text, text, jsonb, text, timestamptz,
  boolean, bytea, uuid, text, text, text, text, text, text, jsonb);
CREATE FUNCTION storage_commit_object(
  p_bucket_id     uuid,
  p_key           text,
  p_version_id    text,
  p_size          bigint,
  p_etag          text,
  p_content_type  text,
  p_user_metadata jsonb,
  p_storage_path  text,
  p_last_modified timestamptz,
  p_encrypted     boolean,
  p_inline_data   bytea,
  p_tags          jsonb,
  p_event_id      uuid,
  p_topic         text,
  p_event_key     text,
  p_event_type    text,
  p_source        text,
  p_tenant_id     text,
  p_request_id    text,
  p_payload       jsonb)
RETURNS text  -- the replaced version's storage path, or null (none, or its bytes were inline)
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  replaced text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_bucket_id::text || '/' || p_key, 0));

  IF p_version_id = 'null' THEN
    DELETE FROM storage_objects
    WHERE bucket_id = p_bucket_id AND object_key = p_key AND version_id = 'null'
    RETURNING storage_path INTO replaced;
  END IF;

  UPDATE storage_objects SET is_latest = false
  WHERE bucket_id = p_bucket_id AND object_key = p_key AND is_latest;

  INSERT INTO storage_objects (bucket_id, object_key, version_id, is_latest, delete_marker, size,
    etag, content_type, user_metadata, storage_path, last_modified, encrypted, inline_data, tags)
  VALUES (p_bucket_id, p_key, p_version_id, true, false, p_size, p_etag, p_content_type,
    p_user_metadata, p_storage_path, p_last_modified, p_encrypted, p_inline_data, p_tags);

  -- The column list mirrors Outbox.INSERT (platform); the values come from Outbox.rowForTenant.
  INSERT INTO cumulus_outbox
    (event_id, topic, event_key, event_type, source, tenant_id, request_id, payload)
  VALUES (p_event_id, p_topic, p_event_key, p_event_type, p_source, p_tenant_id, p_request_id,
    p_payload);

  RETURN replaced;
END;
$$;
