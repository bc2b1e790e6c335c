package dev.cumulus.commerce.sheets.persistence;

import dev.cumulus.platform.db.JsonColumns;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Rows waiting for their sheet ({@code sheet_rows}). */
@Repository
public class SheetRowRepository {

  /** One waiting row; {@code cells} is a JSON array. */
  public record PendingRow(long id, String tenantId, String spreadsheetId, String cells) {}

  private final DatabaseClient db;

  public SheetRowRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> add(String tenantId, String spreadsheetId, String cells) {
    return db.sql(
            "INSERT INTO sheet_rows (tenant_id, spreadsheet_id, cells)"
                + " VALUES (:tenant, :sheet, CAST(:cells AS jsonb))")
        .bind("tenant", tenantId)
        .bind("sheet", spreadsheetId)
        .bind("cells", cells)
        .then();
  }

  /** The oldest waiting rows, at most {@code limit}. */
  public Flux<PendingRow> pending(int limit) {
    return db.sql("SELECT * FROM sheet_rows ORDER BY id LIMIT :limit")
        .bind("limit", limit)
        .map(
            row ->
                new PendingRow(
                    row.get("id", Long.class),
                    row.get("tenant_id", String.class),
                    row.get("spreadsheet_id", String.class),
                    JsonColumns.text(row, "cells")))
        .all();
  }

  public Mono<Void> appended(List<Long> ids) {
    return db.sql("DELETE FROM sheet_rows WHERE id = ANY(:ids)")
        .bind("ids", ids.toArray(Long[]::new))
        .then();
  }
}
