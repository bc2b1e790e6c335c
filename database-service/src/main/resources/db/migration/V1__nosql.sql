-- NoSQL (nosqldatabase instances): DynamoDB-like tables of JSON items.

-- The table catalog. definition: key schema, attribute definitions, GSIs, LSIs, billing (JSON of
-- TableSchema); ttl_attribute duplicated as a column for the TTL sweeper.
CREATE TABLE nosql_tables (
  service_id    text        NOT NULL,
  table_name    text        NOT NULL COLLATE "C",
  tenant_id     text        NOT NULL,
  definition    jsonb       NOT NULL,
  ttl_attribute text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, table_name)
);

-- Items. hk/rk: the key's canonical text (string, normalised number or Base64; rk '' without a
-- range key). Order within a hash key is (rk_n, rk_b, rk): numbers numerically, binary bytewise,
-- strings by UTF-8 bytes (collation "C"); the columns of the other types hold constants.
CREATE TABLE nosql_items (
  service_id text    NOT NULL,
  table_name text    NOT NULL COLLATE "C",
  hk         text    NOT NULL COLLATE "C",
  rk         text    NOT NULL COLLATE "C",
  rk_n       numeric NOT NULL,
  rk_b       bytea   NOT NULL,
  item       jsonb   NOT NULL,
  size       integer NOT NULL,
  -- Epoch seconds of the item's TTL attribute when TTL is enabled: hidden from then, deleted soon.
  expires_at bigint,
  PRIMARY KEY (service_id, table_name, hk, rk)
);
CREATE INDEX nosql_items_sorted ON nosql_items (service_id, table_name, hk, rk_n, rk_b, rk);
CREATE INDEX nosql_items_expiring ON nosql_items (expires_at) WHERE expires_at IS NOT NULL;

-- Secondary index entries (GSIs and LSIs), maintained with every write of their item: one row per
-- item that has the index's key attributes. Queries join the item.
CREATE TABLE nosql_index_entries (
  service_id text    NOT NULL,
  table_name text    NOT NULL COLLATE "C",
  index_name text    NOT NULL COLLATE "C",
  hk         text    NOT NULL COLLATE "C",
  rk         text    NOT NULL COLLATE "C",
  rk_n       numeric NOT NULL,
  rk_b       bytea   NOT NULL,
  item_hk    text    NOT NULL COLLATE "C",
  item_rk    text    NOT NULL COLLATE "C",
  PRIMARY KEY (service_id, table_name, index_name, item_hk, item_rk),
  FOREIGN KEY (service_id, table_name, item_hk, item_rk)
    REFERENCES nosql_items (service_id, table_name, hk, rk) ON DELETE CASCADE
);
CREATE INDEX nosql_index_entries_sorted
  ON nosql_index_entries (service_id, table_name, index_name, hk, rk_n, rk_b, rk, item_hk, item_rk);
