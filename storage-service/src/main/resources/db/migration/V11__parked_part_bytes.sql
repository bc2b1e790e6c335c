-- Multipart parts count against the stored-bytes quota while their upload is open ("parked"):
-- without this a tenant could hold any number of bytes in uploads it never completes. A part's
-- bytes move from parked_bytes to stored_bytes when its upload completes (the object's insert and
-- the parts' cascaded delete commit together) and leave when it is aborted or its bucket deleted.
-- The limit applies to stored_bytes + parked_bytes.

ALTER TABLE storage_tenant_usage ADD COLUMN parked_bytes bigint NOT NULL DEFAULT 0;

-- Parts carry their tenant, so the delete cascaded from their upload (whose row is gone by then)
-- can still be counted.
ALTER TABLE storage_multipart_parts ADD COLUMN tenant_id text;
UPDATE storage_multipart_parts p SET tenant_id = b.tenant_id
FROM storage_multipart_uploads u JOIN storage_buckets b ON b.id = u.bucket_id
WHERE u.upload_id = p.upload_id;

INSERT INTO storage_tenant_usage AS u (tenant_id, parked_bytes)
SELECT tenant_id, sum(size) FROM storage_multipart_parts WHERE tenant_id IS NOT NULL
GROUP BY tenant_id
ON CONFLICT (tenant_id) DO UPDATE SET parked_bytes = EXCLUDED.parked_bytes;

CREATE FUNCTION storage_part_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id IS NULL THEN
    SELECT b.tenant_id INTO NEW.tenant_id
    FROM storage_multipart_uploads u JOIN storage_buckets b ON b.id = u.bucket_id
    WHERE u.upload_id = NEW.upload_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER storage_multipart_parts_tenant BEFORE INSERT ON storage_multipart_parts
  FOR EACH ROW EXECUTE FUNCTION storage_part_tenant();

CREATE FUNCTION storage_count_part() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_bytes bigint := 0;
  tenant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  counted storage_tenant_usage;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    d_bytes := NEW.size;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    d_bytes := d_bytes - OLD.size;
  END IF;
  IF d_bytes = 0 OR tenant IS NULL THEN
    RETURN NULL;
  END IF;
  UPDATE storage_tenant_usage SET parked_bytes = parked_bytes + d_bytes
  WHERE tenant_id = tenant
  RETURNING * INTO counted;
  IF NOT FOUND THEN
    INSERT INTO storage_tenant_usage AS u (tenant_id, parked_bytes) VALUES (tenant, d_bytes)
    ON CONFLICT (tenant_id) DO UPDATE SET parked_bytes = u.parked_bytes + EXCLUDED.parked_bytes
    RETURNING * INTO counted;
  END IF;
  IF d_bytes > 0 AND counted.stored_bytes + counted.parked_bytes > counted.stored_bytes_limit THEN
    RAISE EXCEPTION '%', counted.stored_bytes_limit USING ERRCODE = 'CQ002';
  END IF;
  RETURN NULL;
END;
$$;
-- Not deferred, unlike the objects' count (V10): Complete inserts the object, then deletes the
-- upload (its parts by cascade) in one transaction; the parts must have left parked_bytes before
-- the object's deferred check adds its size at the commit, or the bytes would count twice. The
-- row is still locked after the key (Complete takes the key's lock when it inserts the object).
CREATE TRIGGER storage_multipart_parts_count
  AFTER INSERT OR UPDATE OR DELETE ON storage_multipart_parts
  FOR EACH ROW EXECUTE FUNCTION storage_count_part();

-- Objects are now checked against what is stored and parked together.
CREATE OR REPLACE FUNCTION storage_count_object() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_objects bigint := 0;
  d_bytes bigint := 0;
  tenant text;
  counted storage_tenant_usage;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.delete_marker THEN
    d_objects := CASE WHEN NEW.is_latest THEN 1 ELSE 0 END;
    d_bytes := NEW.size;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') AND NOT OLD.delete_marker THEN
    d_objects := d_objects - CASE WHEN OLD.is_latest THEN 1 ELSE 0 END;
    d_bytes := d_bytes - OLD.size;
  END IF;
  IF d_objects = 0 AND d_bytes = 0 THEN
    RETURN NULL;
  END IF;
  SELECT tenant_id INTO tenant FROM storage_buckets
  WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.bucket_id ELSE NEW.bucket_id END;
  IF tenant IS NULL THEN
    RETURN NULL;  -- its bucket is gone: the bucket's deletion took this version's counts
  END IF;
  counted := storage_count_usage(tenant, 0, d_objects, d_bytes);
  IF d_bytes > 0 AND counted.stored_bytes + counted.parked_bytes > counted.stored_bytes_limit THEN
    RAISE EXCEPTION '%', counted.stored_bytes_limit USING ERRCODE = 'CQ002';
  END IF;
  RETURN NULL;
END;
$$;
