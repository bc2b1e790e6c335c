package dev.cumulus.queue.queues.domain;

/**
 * The characters SQS allows in message bodies, attribute values and tags: {@code #x9 | #xA | #xD |
 * #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF}. Beyond SQS's rule, this keeps out NUL, which
 * PostgreSQL's text and jsonb cannot hold (a NUL that reached the database failed as a 500).
 */
public final class SqsCharacters {

  private SqsCharacters() {}

  /** The first character SQS does not allow, as a code point, or -1 when there is none. */
  public static int firstInvalid(String text) {
    if (text == null) {
      return -1;
    }
    return text.codePoints().filter(c -> !allowed(c)).findFirst().orElse(-1);
  }

  /** The character as SQS's messages name it: {@code #x0}. */
  public static String named(int codePoint) {
    return "#x" + Integer.toHexString(codePoint);
  }

  private static boolean allowed(int c) {
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }
}
