-- Optimistic concurrency: every change of an order row bumps its version, so a writer that
-- decided on an older read (a webhook's reconcile racing a cancel, a PATCH racing a payment) can
-- make its UPDATE conditional on the version it read and, when it lost, read again and decide anew.
-- A trigger rather than each statement, so no writer can forget it.
ALTER TABLE orders ADD COLUMN version bigint NOT NULL DEFAULT 0;

CREATE FUNCTION orders_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END
$$;

CREATE TRIGGER orders_version BEFORE UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_bump_version();
