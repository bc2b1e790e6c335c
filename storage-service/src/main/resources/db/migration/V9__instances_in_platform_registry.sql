-- Instances are kept by the platform's instance registry now (cumulus_instances, platform
-- migration V2), as in every service that hosts seed 000 instances. Existing ones are ready.
INSERT INTO cumulus_instances (service_id, service_type, tenant_id, name, state, created_at, deleted)
SELECT service_id, 's3storage', tenant_id, name, 'ready', created_at, deleted
FROM storage_instances
ON CONFLICT (service_id) DO NOTHING;

ALTER TABLE storage_buckets DROP CONSTRAINT storage_buckets_service_id_fkey;
ALTER TABLE storage_buckets ADD CONSTRAINT storage_buckets_service_id_fkey
  FOREIGN KEY (service_id) REFERENCES cumulus_instances (service_id) ON DELETE CASCADE;

DROP TABLE storage_instances;
