-- Per-tenant usage, kept exact by triggers in the transaction of every change: object writes,
-- deletes, multipart completions, lifecycle expirations and bucket/instance deletions all change
-- storage_objects or storage_buckets, so no code path can forget to count (docs/storage.md,
-- "Quotas"). objects: current objects (as listings count them); stored_bytes: the bytes of every
-- version (non-current ones take disk too); delete markers count for neither.
--
-- The tenant's limits (auth-service's, as storage-service last fetched them: TenantQuotas) sit in
-- the same row, so the check is atomic with the count: an increase that ends above a limit raises,
-- which rolls the whole write back. The row is locked from the count to the commit, so concurrent
-- writers of a tenant are counted one after the other and cannot pass a limit together.

-- Buckets carry their tenant, so counting never joins an instance that is being deleted.
ALTER TABLE storage_buckets ADD COLUMN tenant_id text;
UPDATE storage_buckets b SET tenant_id = i.tenant_id
FROM cumulus_instances i WHERE i.service_id = b.service_id;

CREATE FUNCTION storage_bucket_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id IS NULL THEN
    SELECT tenant_id INTO NEW.tenant_id FROM cumulus_instances WHERE service_id = NEW.service_id;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER storage_buckets_tenant BEFORE INSERT ON storage_buckets
  FOR EACH ROW EXECUTE FUNCTION storage_bucket_tenant();

CREATE TABLE storage_tenant_usage (
  tenant_id          text PRIMARY KEY,
  buckets            bigint NOT NULL DEFAULT 0,
  objects            bigint NOT NULL DEFAULT 0,
  stored_bytes       bigint NOT NULL DEFAULT 0,
  -- null until storage-service has fetched the tenant's limits: then nothing is refused here
  bucket_limit       bigint,
  stored_bytes_limit bigint,
  max_object_bytes   bigint,  -- checked by storage-service as bytes arrive, kept for when auth is down
  limits_fetched_at  timestamptz
);

INSERT INTO storage_tenant_usage (tenant_id, buckets, objects, stored_bytes)
SELECT b.tenant_id, count(DISTINCT b.id),
       count(o.*) FILTER (WHERE o.is_latest AND NOT o.delete_marker),
       coalesce(sum(o.size) FILTER (WHERE NOT o.delete_marker), 0)
FROM storage_buckets b LEFT JOIN storage_objects o ON o.bucket_id = b.id
WHERE b.tenant_id IS NOT NULL
GROUP BY b.tenant_id;

-- Adds to a tenant's counts (creating its row) and returns the row, locked until the commit.
CREATE FUNCTION storage_count_usage(p_tenant text, p_buckets bigint, p_objects bigint,
  p_bytes bigint)
RETURNS storage_tenant_usage LANGUAGE plpgsql AS $$
DECLARE
  counted storage_tenant_usage;
BEGIN
  -- The row exists from the tenant's first bucket (or limits) on: a plain UPDATE is the usual case.
  UPDATE storage_tenant_usage SET buckets = buckets + p_buckets, objects = objects + p_objects,
    stored_bytes = stored_bytes + p_bytes
  WHERE tenant_id = p_tenant
  RETURNING * INTO counted;
  IF NOT FOUND THEN
    INSERT INTO storage_tenant_usage AS u (tenant_id, buckets, objects, stored_bytes)
    VALUES (p_tenant, p_buckets, p_objects, p_bytes)
    ON CONFLICT (tenant_id) DO UPDATE SET buckets = u.buckets + EXCLUDED.buckets,
      objects = u.objects + EXCLUDED.objects, stored_bytes = u.stored_bytes + EXCLUDED.stored_bytes
    RETURNING * INTO counted;
  END IF;
  RETURN counted;
END;
$$;

-- A new bucket counts at once (SQLSTATE CQ001 over the limit, CQ002 for
-- stored bytes; the message is the limit); a deleted one takes its objects'
-- counts with it: they go by cascade, after their bucket row, so their own trigger finds no bucket.
CREATE FUNCTION storage_count_bucket() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  counted storage_tenant_usage;
  objects bigint;
  bytes bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.tenant_id IS NOT NULL THEN
      counted := storage_count_usage(NEW.tenant_id, 1, 0, 0);
      IF counted.buckets > counted.bucket_limit THEN
        -- The message is the limit (QuotaErrors reads it).
        RAISE EXCEPTION '%', counted.bucket_limit USING ERRCODE = 'CQ001';
      END IF;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.tenant_id IS NOT NULL THEN
    SELECT count(*) FILTER (WHERE is_latest AND NOT delete_marker),
           coalesce(sum(size) FILTER (WHERE NOT delete_marker), 0)
    INTO objects, bytes
    FROM storage_objects WHERE bucket_id = OLD.id;
    PERFORM storage_count_usage(OLD.tenant_id, -1, -objects, -bytes);
  END IF;
  RETURN OLD;
END;
$$;
-- BEFORE DELETE: the bucket's row is locked by then (no object can still be added to it) and its
-- objects are not yet gone.
CREATE TRIGGER storage_buckets_count_insert AFTER INSERT ON storage_buckets
  FOR EACH ROW EXECUTE FUNCTION storage_count_bucket();
CREATE TRIGGER storage_buckets_count_delete BEFORE DELETE ON storage_buckets
  FOR EACH ROW EXECUTE FUNCTION storage_count_bucket();

-- An object version's part of the counts.
CREATE FUNCTION storage_count_object() RETURNS trigger LANGUAGE plpgsql AS $$
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
  IF d_bytes > 0 AND counted.stored_bytes > counted.stored_bytes_limit THEN
    RAISE EXCEPTION '%', counted.stored_bytes_limit USING ERRCODE = 'CQ002';
  END IF;
  RETURN NULL;
END;
$$;
-- Deferred to the commit: a write locks its keys first and the tenant's row last, so a group
-- commit (many keys in one transaction) never holds the tenant's row while it waits for a key
-- that a delete holding that key's lock would then wait behind the row for.
CREATE CONSTRAINT TRIGGER storage_objects_count AFTER INSERT OR UPDATE OR DELETE ON storage_objects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION storage_count_object();
