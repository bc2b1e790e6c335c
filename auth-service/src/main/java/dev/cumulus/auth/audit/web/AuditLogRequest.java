package dev.cumulus.auth.audit.web;

import dev.cumulus.auth.audit.domain.AuditAction;
import dev.cumulus.auth.audit.domain.AuditCursor;
import dev.cumulus.auth.audit.domain.AuditQuery;
import dev.cumulus.platform.error.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The query parameters of {@code GET /api/tenants/audit-logs/}, checked: anything malformed is a
 * 400 in seed 003's envelope, never a silently different page.
 */
record AuditLogRequest(
    String limit,
    String cursor,
    String action,
    String resourceType,
    String user,
    String q,
    String from,
    String to) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  private static final int MAX_TEXT = 200;

  AuditQuery query(String tenantId) {
    LocalDate fromDay = day("from", from);
    LocalDate toDay = day("to", to);
    if (fromDay != null && toDay != null && fromDay.isAfter(toDay)) {
      throw ApiException.badRequest("from must not be after to");
    }
    return new AuditQuery(
        tenantId,
        parsedAction(),
        text("resource_type", resourceType),
        text("user", user),
        text("q", q),
        fromDay == null ? null : startOf(fromDay),
        toDay == null ? null : startOf(toDay.plusDays(1)),
        blank(cursor) ? null : AuditCursor.decode(cursor.trim()),
        pageSize());
  }

  private int pageSize() {
    if (blank(limit)) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit.trim());
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  private AuditAction parsedAction() {
    if (blank(action)) {
      return null;
    }
    try {
      return AuditAction.valueOf(action.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "action must be one of " + Arrays.toString(AuditAction.values()));
    }
  }

  private static String text(String name, String value) {
    if (blank(value)) {
      return null;
    }
    if (value.length() > MAX_TEXT) {
      throw ApiException.badRequest(name + " must be at most " + MAX_TEXT + " characters");
    }
    return value.trim();
  }

  /** A day in UTC, {@code YYYY-MM-DD}; {@code from} and {@code to} both include their day. */
  private static LocalDate day(String name, String value) {
    if (blank(value)) {
      return null;
    }
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(name + " must be a day as YYYY-MM-DD (UTC)");
    }
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
