-- DynamoDB Streams of NoSQL tables: one stream per enabling of a table's StreamSpecification (its
-- label the time it was enabled), one shard each. last_seq hands out the shard's sequence numbers:
-- a write takes the next one with a row lock held until it commits, so records commit in
-- sequence order and a reader never skips one that commits later. trimmed_seq: the highest
-- sequence number trimmed after the retention period.
CREATE TABLE nosql_streams (
  service_id   text        NOT NULL,
  table_name   text        NOT NULL COLLATE "C",
  stream_label text        NOT NULL COLLATE "C",
  view_type    text        NOT NULL,
  key_schema   jsonb       NOT NULL,
  enabled      boolean     NOT NULL DEFAULT true,
  last_seq     bigint      NOT NULL DEFAULT 0,
  trimmed_seq  bigint      NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  disabled_at  timestamptz,
  PRIMARY KEY (service_id, table_name, stream_label)
);

-- Stream records, written in the transaction of their change; record: the record as GetRecords
-- answers it, without SequenceNumber and awsRegion (added when read).
CREATE TABLE nosql_stream_records (
  service_id   text        NOT NULL,
  table_name   text        NOT NULL COLLATE "C",
  stream_label text        NOT NULL COLLATE "C",
  seq          bigint      NOT NULL,
  record       jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, table_name, stream_label, seq)
);
CREATE INDEX nosql_stream_records_age ON nosql_stream_records (created_at);

-- The key shard iterators are signed with, shared by every node.
CREATE TABLE nosql_stream_secret (
  id     integer PRIMARY KEY CHECK (id = 1),
  secret text    NOT NULL
);
INSERT INTO nosql_stream_secret VALUES (1, gen_random_uuid()::text || gen_random_uuid()::text);
