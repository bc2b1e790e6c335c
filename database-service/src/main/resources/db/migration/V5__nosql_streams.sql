-- DynamoDB Streams of NoSQL tables: one stream per enabling of a table's StreamSpecification (its
-- label the time it was enabled), one shard each. last_seq: the shard's last sequence number
-- handed out; trimmed_seq: the highest sequence number trimmed after the retention period.
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

-- Stream records, inserted in the transaction of their change without a sequence number
-- (pending), so concurrent writers never wait for each other. Before a stream is read, its
-- pending records are sequenced under the stream's exclusive advisory lock, which writers hold
-- shared until they commit: every pending record is then committed, so sequence numbers are
-- handed out in an order no later commit can break. record: the record as GetRecords answers it,
-- without SequenceNumber and awsRegion (added when read).
CREATE TABLE nosql_stream_records (
  id           bigserial   PRIMARY KEY,
  service_id   text        NOT NULL,
  table_name   text        NOT NULL COLLATE "C",
  stream_label text        NOT NULL COLLATE "C",
  seq          bigint,
  record       jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX nosql_stream_records_seq
  ON nosql_stream_records (service_id, table_name, stream_label, seq);
CREATE INDEX nosql_stream_records_pending
  ON nosql_stream_records (service_id, table_name, stream_label, id) WHERE seq IS NULL;
CREATE INDEX nosql_stream_records_age ON nosql_stream_records (created_at);

-- The key shard iterators are signed with, shared by every node.
CREATE TABLE nosql_stream_secret (
  id     integer PRIMARY KEY CHECK (id = 1),
  secret text    NOT NULL
);
INSERT INTO nosql_stream_secret VALUES (1, gen_random_uuid()::text || gen_random_uuid()::text);
