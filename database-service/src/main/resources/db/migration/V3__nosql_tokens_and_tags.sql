-- TransactWriteItems' ClientRequestToken: a token's first successful request, by its SHA-256, for
-- DynamoDB's 10-minute idempotency window. Written in the transaction of the writes, so a
-- cancelled transaction leaves no token behind and its retry runs again.
CREATE TABLE nosql_transaction_tokens (
  service_id   text        NOT NULL,
  token        text        NOT NULL COLLATE "C",
  request_hash text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, token)
);
CREATE INDEX nosql_transaction_tokens_age ON nosql_transaction_tokens (created_at);

-- Tags of tables (TagResource, CreateTable's Tags), deleted with their table.
CREATE TABLE nosql_table_tags (
  service_id text NOT NULL,
  table_name text NOT NULL COLLATE "C",
  tag_key    text NOT NULL COLLATE "C",
  tag_value  text NOT NULL,
  PRIMARY KEY (service_id, table_name, tag_key),
  FOREIGN KEY (service_id, table_name)
    REFERENCES nosql_tables (service_id, table_name) ON DELETE CASCADE
);
