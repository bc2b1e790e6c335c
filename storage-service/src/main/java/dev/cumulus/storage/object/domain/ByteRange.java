package dev.cumulus.storage.object.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP byte range resolved against an object's size (RFC 9110 section 14). Only single ranges
 * are honoured; a header this class cannot parse, or one with several ranges, is ignored and the
 * whole object served, as the RFC allows.
 */
public record ByteRange(long first, long last) {

  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  public long length() {
    return last - first + 1;
  }

  /** Thrown when a syntactically valid range does not overlap the object (416). */
  public static final class Unsatisfiable extends RuntimeException {
    public Unsatisfiable(String header) {
      super("Range not satisfiable: " + header);
    }
  }

  /**
   * @return the range to serve, or empty to serve the whole object
   * @throws Unsatisfiable when the range lies past the end of the object
   */
  public static Optional<ByteRange> resolve(String header, long size) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          throw new Unsatisfiable(header);
        }
        return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
      if (first >= size) {
        throw new Unsatisfiable(header);
      }
      if (last < first) {
        return Optional.empty();
      }
      return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
