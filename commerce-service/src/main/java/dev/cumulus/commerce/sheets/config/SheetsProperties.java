package dev.cumulus.commerce.sheets.config;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A row per order in the tenant's Google Sheet ({@code cumulus.commerce.sheets.*}). Without {@code
 * credentials} rows go to the built-in Sheets sandbox, one sheet per tenant.
 *
 * @param credentials a service account's JSON key file; empty: sandbox
 * @param spreadsheets tenant id → spreadsheet id (with credentials; tenants not listed get none)
 * @param range where rows are appended
 * @param flushInterval how often waiting rows are appended, one call per sheet: 2 s keeps a sheet
 *     at 30 writes a minute, under Sheets' 60
 * @param sandboxPort the sandbox's port (0: any free one)
 * @param sandboxWritesPerMinute the sandbox's quota, as Google's per-user write quota
 */
@ConfigurationProperties("cumulus.commerce.sheets")
public record SheetsProperties(
    @DefaultValue("") String credentials,
    @DefaultValue Map<String, String> spreadsheets,
    @DefaultValue("Orders!A1") String range,
    @DefaultValue("2s") Duration flushInterval,
    @DefaultValue("0") int sandboxPort,
    @DefaultValue("60") int sandboxWritesPerMinute) {

  public boolean sandbox() {
    return credentials.isBlank();
  }
}
