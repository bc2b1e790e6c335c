-- Only file-backed versions need their storage_path indexed (the janitor asks which of the files
-- it finds are referenced: storage_path = ANY(...), which implies NOT NULL and so uses this index).
-- Inline objects (V7) and delete markers have none: one index entry fewer per small PUT.
DROP INDEX storage_objects_path;
CREATE INDEX storage_objects_path ON storage_objects (storage_path) WHERE storage_path IS NOT NULL;
