package dev.cumulus.storage.object.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * HTTP conditional request headers against an object, in RFC 9110's order: If-Match, then
 * If-Unmodified-Since (only without If-Match), then If-None-Match, then If-Modified-Since (only
 * without If-None-Match, and only for reads).
 */
public final class Preconditions {

  /** The outcome: go on, answer 304 Not Modified, or answer 412 Precondition Failed. */
  public enum Outcome {
    PROCEED,
    NOT_MODIFIED,
    FAILED
  }

  private Preconditions() {}

  /**
   * @param read whether the request is a GET or HEAD (a failed If-None-Match is then 304)
   * @param ifModifiedSince/ifUnmodifiedSince null when absent
   */
  public static Outcome evaluate(
      StoredObject object,
      String ifMatch,
      String ifNoneMatch,
      Instant ifModifiedSince,
      Instant ifUnmodifiedSince,
      boolean read) {
    Instant modified = object.lastModified().truncatedTo(ChronoUnit.SECONDS);
    if (ifMatch != null) {
      if (!matchesAny(ifMatch, object.etag())) {
        return Outcome.FAILED;
      }
    } else if (ifUnmodifiedSince != null && modified.isAfter(ifUnmodifiedSince)) {
      return Outcome.FAILED;
    }
    if (ifNoneMatch != null) {
      if (matchesAny(ifNoneMatch, object.etag())) {
        return read ? Outcome.NOT_MODIFIED : Outcome.FAILED;
      }
    } else if (read && ifModifiedSince != null && !modified.isAfter(ifModifiedSince)) {
      return Outcome.NOT_MODIFIED;
    }
    return Outcome.PROCEED;
  }

  /** {@code *} or a comma-separated list of (quoted, possibly weak) entity tags. */
  static boolean matchesAny(String header, String etag) {
    return Arrays.stream(header.split(","))
        .map(String::strip)
        .map(t -> t.startsWith("W/") ? t.substring(2) : t)
        .map(
            t ->
                t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")
                    ? t.substring(1, t.length() - 1)
                    : t)
        .anyMatch(t -> t.equals("*") || t.equals(etag));
  }
}
