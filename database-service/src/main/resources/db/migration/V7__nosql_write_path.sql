-- NoSQL write path in fewer round trips.

-- Every table definition has a version, new from a global sequence at each insert and update (a
-- table deleted and created again never repeats one), so a replica may cache definitions and a
-- write can tell in its own transaction whether the one it planned with is still current.
CREATE SEQUENCE nosql_table_versions;
ALTER TABLE nosql_tables ADD COLUMN version bigint NOT NULL DEFAULT nextval('nosql_table_versions');

CREATE FUNCTION nosql_tables_new_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := nextval('nosql_table_versions');
  RETURN NEW;
END $$;

CREATE TRIGGER nosql_tables_version BEFORE UPDATE ON nosql_tables
  FOR EACH ROW EXECUTE FUNCTION nosql_tables_new_version();

-- A write's first step in one round trip: takes the items' key locks (transaction-scoped advisory
-- locks, in the order given: callers sort them so writers never deadlock), then reads the items
-- (TTL-expired ones hidden) and their tables' current versions. VOLATILE matters: in READ
-- COMMITTED each statement of a volatile function takes a fresh snapshot, so the read sees every
-- write committed by a writer this one waited for (a single SELECT would read with a snapshot
-- taken before the locks). One row per key, in the order of the key arrays; item and
-- table_version null when there is none.
CREATE FUNCTION nosql_lock_and_read(
  p_service text, p_locks text[], p_tables text[], p_hks text[], p_rks text[], p_now bigint)
RETURNS TABLE (ord bigint, item jsonb, table_version bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  lock_name text;
BEGIN
  FOREACH lock_name IN ARRAY p_locks LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(lock_name, 0));
  END LOOP;
  RETURN QUERY
    SELECT k.ord, i.item, t.version
    FROM unnest(p_tables, p_hks, p_rks) WITH ORDINALITY AS k(table_name, hk, rk, ord)
    LEFT JOIN nosql_tables t
      ON t.service_id = p_service AND t.table_name = k.table_name
    LEFT JOIN nosql_items i
      ON i.service_id = p_service AND i.table_name = k.table_name AND i.hk = k.hk AND i.rk = k.rk
      AND (i.expires_at IS NULL OR i.expires_at > p_now)
    ORDER BY k.ord;
END $$;
