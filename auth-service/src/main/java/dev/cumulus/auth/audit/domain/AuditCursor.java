package dev.cumulus.auth.audit.domain;

import dev.cumulus.platform.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * A position in a tenant's audit trail, ordered newest first by (timestamp, id): the next page
 * starts after it. Opaque to clients: base64url of {@code <epoch microseconds>_<id>}, microseconds
 * being PostgreSQL's precision, so the position is exact.
 */
public record AuditCursor(Instant timestamp, UUID id) {

  private static final int MAX_LENGTH = 128;

  public static AuditCursor after(AuditEntry entry) {
    return new AuditCursor(entry.timestamp(), entry.id());
  }

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, timestamp);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + "_" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /** The cursor a client sent back; anything not made by {@link #encode} is a 400. */
  public static AuditCursor decode(String cursor) {
    if (cursor.length() > MAX_LENGTH) {
      throw invalid();
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      int separator = text.indexOf('_');
      if (separator < 1) {
        throw invalid();
      }
      long micros = Long.parseLong(text.substring(0, separator));
      UUID id = UUID.fromString(text.substring(separator + 1));
      return new AuditCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      throw invalid();
    }
  }

  private static ApiException invalid() {
    return ApiException.badRequest(
        "Invalid cursor: send back the next_cursor of a previous page unchanged");
  }
}
