-- Queue (sqs) event sources: ScalingConfig.MaximumConcurrency caps the pollers, and with them
-- the concurrent invocations, of one mapping (null: the default number of pollers).
ALTER TABLE event_source_mappings ADD COLUMN maximum_concurrency INT;
