package dev.cumulus.database.nosql.domain;

import java.math.BigDecimal;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * One key attribute's value as stored: its canonical text (the string, the normalised number or
 * Base64) for equality, and the typed value that orders it (numbers numerically, binary bytewise;
 * strings order by their text in the "C" collation, i.e. by UTF-8 bytes).
 *
 * @param number the number for N keys, else 0
 * @param binary the bytes for B keys, else empty
 */
public record KeyValue(String type, String text, BigDecimal number, byte[] binary) {

  public static final KeyValue NONE = new KeyValue("", "", BigDecimal.ZERO, new byte[0]);

  public static KeyValue of(JsonNode value) {
    String type = AttributeValues.type(value);
    return switch (type) {
      case "S" -> new KeyValue("S", AttributeValues.string(value), BigDecimal.ZERO, new byte[0]);
      case "N" -> {
        String n = AttributeValues.normalizeNumber(value.get("N").stringValue());
        yield new KeyValue("N", n, new BigDecimal(n), new byte[0]);
      }
      case "B" -> {
        byte[] bytes = AttributeValues.bytes(value);
        yield new KeyValue("B", Base64.getEncoder().encodeToString(bytes), BigDecimal.ZERO, bytes);
      }
      default -> throw new IllegalArgumentException("not a key type: " + type);
    };
  }

  /** Back to an AttributeValue of the given key type. */
  public static JsonNode attribute(String type, String text) {
    return AttributeValues.of(type, AttributeValues.NODES.stringNode(text));
  }
}
