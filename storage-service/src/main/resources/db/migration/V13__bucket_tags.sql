-- S3 bucket tagging (Put/Get/DeleteBucketTagging): a bucket's tag set (up to 50 key/value pairs)
-- in its own row, as a JSON object. NULL: no tag set (GetBucketTagging answers NoSuchTagSet).
ALTER TABLE storage_buckets ADD COLUMN tags jsonb;
