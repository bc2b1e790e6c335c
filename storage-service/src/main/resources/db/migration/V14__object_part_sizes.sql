-- GetObject/HeadObject ?partNumber=N (with x-amz-mp-parts-count): an object completed from a
-- multipart upload keeps the sizes of its parts, in the order they were assembled (part N of the
-- object is the N-th listed in CompleteMultipartUpload). NULL: written in one part (PutObject,
-- CopyObject), whose only part is the whole object.
ALTER TABLE storage_objects ADD COLUMN part_sizes bigint[];
