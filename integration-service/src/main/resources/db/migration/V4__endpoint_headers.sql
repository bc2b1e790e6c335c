-- Per-endpoint custom request headers (name -> value), sent with every delivery to the endpoint.
ALTER TABLE webhook_endpoints ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
