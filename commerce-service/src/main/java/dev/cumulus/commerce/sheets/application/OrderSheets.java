package dev.cumulus.commerce.sheets.application;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.model.ValueRange;
import dev.cumulus.commerce.common.application.IntegrationMonitor;
import dev.cumulus.commerce.sheets.persistence.SheetRowRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A row per order in the tenant's sheet. Rows are queued in the database with the order event and
 * appended in batches, one {@code values.append} per sheet and flush, so the service stays under
 * Sheets' write quota; a 429 or any failure leaves the rows queued for the next flush and is logged
 * for monitoring. Sheets never hold an order back.
 */
public class OrderSheets {

  private static final Logger log = LoggerFactory.getLogger(OrderSheets.class);
  private static final TypeReference<List<Object>> CELLS = new TypeReference<>() {};

  private final Sheets sheets;
  private final SheetRowRepository rows;
  private final Function<String, String> spreadsheetOf;
  private final String range;
  private final ObjectMapper json;
  private final IntegrationMonitor monitor;

  /**
   * @param spreadsheetOf tenant id → its spreadsheet id, or null (no sheet)
   */
  public OrderSheets(
      Sheets sheets,
      SheetRowRepository rows,
      Function<String, String> spreadsheetOf,
      String range,
      ObjectMapper json,
      IntegrationMonitor monitor) {
    this.sheets = sheets;
    this.rows = rows;
    this.spreadsheetOf = spreadsheetOf;
    this.range = range;
    this.json = json;
    this.monitor = monitor;
  }

  /** Queues the order's row (in the caller's transaction). */
  public Mono<Void> queue(String tenantId, List<Object> cells) {
    String spreadsheet = spreadsheetOf.apply(tenantId);
    return spreadsheet == null
        ? Mono.empty()
        : rows.add(tenantId, spreadsheet, json.writeValueAsString(cells));
  }

  /** Appends the waiting rows, one call per sheet; returns how many were appended. */
  public Mono<Integer> flush() {
    return rows.pending(500)
        .collectList()
        .flatMapMany(
            pending -> {
              Map<String, List<SheetRowRepository.PendingRow>> bySheet = new LinkedHashMap<>();
              pending.forEach(
                  row ->
                      bySheet
                          .computeIfAbsent(row.spreadsheetId(), k -> new ArrayList<>())
                          .add(row));
              return Flux.fromIterable(bySheet.entrySet());
            })
        .concatMap(sheet -> append(sheet.getKey(), sheet.getValue()))
        .reduce(0, Integer::sum);
  }

  private Mono<Integer> append(String spreadsheetId, List<SheetRowRepository.PendingRow> batch) {
    List<List<Object>> values =
        batch.stream().map(row -> json.readValue(row.cells(), CELLS)).toList();
    return Mono.fromCallable(
            () ->
                sheets
                    .spreadsheets()
                    .values()
                    .append(spreadsheetId, range, new ValueRange().setValues(values))
                    .setValueInputOption("RAW")
                    .setInsertDataOption("INSERT_ROWS")
                    .execute())
        .subscribeOn(Schedulers.boundedElastic())
        .doOnSuccess(done -> monitor.integration("googleSheets").succeeded())
        .then(rows.appended(batch.stream().map(SheetRowRepository.PendingRow::id).toList()))
        .thenReturn(batch.size())
        .onErrorResume(
            error ->
                logged(error)
                    .then(
                        monitor.failed(
                            "googleSheets",
                            batch.getFirst().tenantId(),
                            orderId(batch.getFirst()),
                            "Failed to sync orders to Google Sheets",
                            error instanceof GoogleJsonResponseException google
                                    && google.getStatusCode() == 429
                                ? new IllegalStateException("Rate limit exceeded", error)
                                : error))
                    .thenReturn(0));
  }

  private Mono<Void> logged(Throwable error) {
    log.warn("Google Sheets append failed, rows stay queued: {}", error.toString());
    return Mono.empty();
  }

  private UUID orderId(SheetRowRepository.PendingRow row) {
    try {
      return UUID.fromString(String.valueOf(json.readValue(row.cells(), CELLS).getFirst()));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
