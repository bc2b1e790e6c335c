-- S3 access control (issue 31): a bucket's Object Ownership, ACL, policy and PublicAccessBlock,
-- and the ACLs of objects. A bucket without a row has AWS's defaults for a new bucket:
-- BucketOwnerEnforced (ACLs off), an owner-only ACL, no policy, no PublicAccessBlock.
-- (V17, not V16: another branch of the same session may take V16.)

CREATE TABLE storage_bucket_access (
  bucket_id               uuid PRIMARY KEY REFERENCES storage_buckets (id) ON DELETE CASCADE,
  -- null: never set (BucketOwnerEnforced); 'none': deleted (ACLs count, as ObjectWriter)
  object_ownership        text,
  acl                     jsonb,
  policy                  text,
  -- null: no PublicAccessBlock configuration
  block_public_acls       boolean,
  ignore_public_acls      boolean,
  block_public_policy     boolean,
  restrict_public_buckets boolean,
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- The ACL of one version of an object, kept only while ACLs count for its bucket. An upload's
-- ACL waits under version_id 'upload:<uploadId>' until its Complete.
CREATE TABLE storage_object_acls (
  bucket_id  uuid NOT NULL REFERENCES storage_buckets (id) ON DELETE CASCADE,
  object_key text COLLATE "C" NOT NULL,
  version_id text NOT NULL,
  acl        jsonb NOT NULL,
  PRIMARY KEY (bucket_id, object_key, version_id)
);
