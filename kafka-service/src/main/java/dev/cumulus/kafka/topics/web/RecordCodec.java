package dev.cumulus.kafka.topics.web;

import dev.cumulus.kafka.topics.domain.KafkaErrors;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Record bytes to and from JSON. A JSON string is its UTF-8 bytes; any other JSON value is its
 * compact JSON text; binary travels as base64 (in {@code keyBase64}/{@code valueBase64} going in,
 * with {@code "encoding":"base64"} coming out).
 */
final class RecordCodec {

  private RecordCodec() {}

  /** The bytes of a key or value given as JSON, or as base64 text; null when neither is given. */
  static byte[] bytes(ObjectMapper json, JsonNode plain, String base64, String field) {
    if (plain != null && !plain.isNull() && base64 != null) {
      throw KafkaErrors.invalidRequest("Give " + field + " or " + field + "Base64, not both");
    }
    if (base64 != null) {
      return decodeBase64(base64, field + "Base64");
    }
    if (plain == null || plain.isNull() || plain.isMissingNode()) {
      return null;
    }
    String text = plain.isString() ? plain.asString() : json.writeValueAsString(plain);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] decodeBase64(String text, String field) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw KafkaErrors.invalidParameter(field, "not valid base64 (" + e.getMessage() + ")");
    }
  }

  /** The bytes as UTF-8 text, or null when they are not valid UTF-8. */
  static String utf8OrNull(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (isAscii(bytes)) {
      // The common case, without the decoder's detour through a char buffer.
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  static boolean isUtf8(byte[] bytes) {
    return bytes == null || isAscii(bytes) || utf8OrNull(bytes) != null;
  }

  static String base64(byte[] bytes) {
    return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
  }
}
