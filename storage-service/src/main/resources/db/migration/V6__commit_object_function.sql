-- Commits a new object version in one round trip (ObjectRepository.commit): what
-- ObjectService.commit used to do statement by statement, in the same order.
--  1. The key's writer lock, the same one ObjectRepository.lock takes (deletes, delete markers and
--     lifecycle expiry take it that way): hashtextextended('<bucket uuid>/<key>', 0), where
--     uuid::text is the lower-case form Java's UUID.toString() gives.
--  2. A new "null" version replaces the key's "null" version: deleted, its bytes' path returned.
--  3. The key's latest version becomes non-current; 4. the new version is inserted as the latest.
--  5. Its event goes into the outbox (values from Outbox.rowForTenant).
-- In READ COMMITTED each statement of a (volatile) function takes a fresh snapshot, so the steps
-- after the lock see what a writer that held it before committed; a single statement (one CTE)
-- would keep a snapshot taken before the lock wait. Called on its own, the function runs in the
-- statement's implicit transaction; inside an explicit one (a multipart upload removes itself in
-- the same transaction) the lock is held until that one ends.
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
  p_event_id      uuid,
  p_topic         text,
  p_event_key     text,
  p_event_type    text,
  p_source        text,
  p_tenant_id     text,
  p_request_id    text,
  p_payload       jsonb)
RETURNS text  -- the replaced version's storage path, or null
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
    etag, content_type, user_metadata, storage_path, last_modified, encrypted)
  VALUES (p_bucket_id, p_key, p_version_id, true, false, p_size, p_etag, p_content_type,
    p_user_metadata, p_storage_path, p_last_modified, p_encrypted);

  -- The column list mirrors Outbox.INSERT (platform); the values come from Outbox.rowForTenant.
  INSERT INTO cumulus_outbox
    (event_id, topic, event_key, event_type, source, tenant_id, request_id, payload)
  VALUES (p_event_id, p_topic, p_event_key, p_event_type, p_source, p_tenant_id, p_request_id,
    p_payload);

  RETURN replaced;
END;
$$;
