-- A record's SizeBytes (keys and images, as DynamoDB counts them) in a column of its own, so
-- GetRecords can stop a page at 1 MB by reading the sizes of the candidate rows without reading
-- (and detoasting) their records.
ALTER TABLE nosql_stream_records
  ADD COLUMN size_bytes integer
  GENERATED ALWAYS AS (((record -> 'dynamodb' ->> 'SizeBytes'))::integer) STORED;
