-- Credentials of a private registry a container function's image is pulled from: sealed with the
-- service's master key (as env is), never answered. NULL for a public image.
ALTER TABLE container_functions ADD COLUMN registry_credentials JSONB;
