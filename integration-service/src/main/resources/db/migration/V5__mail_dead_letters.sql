-- A mail SendGrid refused for good (a permanent 4xx) is a dead letter: status 'dead', no more
-- attempts, listed to its tenant with the refusal.
ALTER TABLE mail_outbox ADD COLUMN dead_at timestamptz;
CREATE INDEX mail_outbox_dead ON mail_outbox (tenant_id, dead_at DESC) WHERE status = 'dead';
