package dev.cumulus.queue.queues.domain;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A message attribute: {@code String}, {@code Number} or {@code Binary}, optionally with a custom
 * suffix ({@code Number.float}).
 */
public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {

  public static final int MAX_ATTRIBUTES = 10;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

  public boolean binary() {
    return dataType.startsWith("Binary");
  }

  /** Bytes counted against the message size limit: name, type and value. */
  public int size(String name) {
    int value = binary() ? binaryValue.length : utf8Length(stringValue);
    return utf8Length(name) + utf8Length(dataType) + value;
  }

  /** Checks SQS's rules for the attributes of one message. */
  public static void check(Map<String, MessageAttribute> attributes) {
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw QueueErrors.invalidParameter(
          "Number of message attributes ["
              + attributes.size()
              + "] exceeds the allowed maximum ["
              + MAX_ATTRIBUTES
              + "].");
    }
    attributes.forEach(MessageAttribute::check);
  }

  private static void check(String name, MessageAttribute attribute) {
    if (name == null
        || !NAME.matcher(name).matches()
        || name.startsWith(".")
        || name.endsWith(".")
        || name.contains("..")
        || name.toLowerCase(Locale.ROOT).startsWith("aws.")
        || name.toLowerCase(Locale.ROOT).startsWith("amazon.")) {
      throw QueueErrors.invalidParameter("Message attribute name '" + name + "' is invalid.");
    }
    String type = attribute == null ? null : attribute.dataType();
    if (type == null || type.isEmpty()) {
      throw QueueErrors.invalidParameter(
          "The message attribute '" + name + "' must contain non-empty message attribute type.");
    }
    boolean known =
        type.equals("String")
            || type.equals("Number")
            || type.equals("Binary")
            || type.startsWith("String.")
            || type.startsWith("Number.")
            || type.startsWith("Binary.");
    if (!known || type.length() > 256) {
      throw QueueErrors.invalidParameter(
          "The type of message attribute '"
              + name
              + "' is invalid. You must use only the"
              + " following supported type prefixes: Binary, Number, String.");
    }
    if (attribute.binary()
        ? attribute.binaryValue() == null || attribute.binaryValue().length == 0
        : attribute.stringValue() == null || attribute.stringValue().isEmpty()) {
      throw QueueErrors.invalidParameter(
          "The message attribute '"
              + name
              + "' must contain a non-empty message attribute value"
              + " for message attribute type '"
              + type
              + "'.");
    }
    int invalid =
        SqsCharacters.firstInvalid(type + (attribute.binary() ? "" : attribute.stringValue()));
    if (invalid >= 0) {
      throw QueueErrors.invalidParameter(
          "Message (user) attribute '"
              + name
              + "' contains the invalid character '"
              + SqsCharacters.named(invalid)
              + "'.");
    }
    if (type.startsWith("Number")) {
      try {
        new java.math.BigDecimal(attribute.stringValue().trim());
      } catch (NumberFormatException e) {
        throw QueueErrors.invalidParameter(
            "Can't cast the value of message (user) attribute '" + name + "' to a number.");
      }
    }
  }

  private static int utf8Length(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
}
