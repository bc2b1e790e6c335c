-- Rows waiting to be appended to a tenant's Google Sheet. OrderSheetRows batches them: one
-- values.append per sheet and flush keeps the service under Sheets' 60 writes a minute per user.
CREATE TABLE sheet_rows (
  id             bigserial PRIMARY KEY,
  tenant_id      text        NOT NULL,
  spreadsheet_id text        NOT NULL,
  cells          jsonb       NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sheet_rows_by_sheet ON sheet_rows (spreadsheet_id, id);
