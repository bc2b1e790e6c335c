package dev.cumulus.database.nosql.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** DynamoDB Streams' rules: view types, stream labels, ARNs, sequence numbers, which images go. */
public final class Streams {

  public static final List<String> VIEW_TYPES =
      List.of("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES");

  /** The one shard of every stream. */
  public static final String SHARD_ID = "shardId-00000000000000000001-00000001";

  private static final DateTimeFormatter LABEL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Streams() {}

  /** A stream's label, as DynamoDB makes it: the time the stream was enabled. */
  public static String label(Instant enabledAt) {
    return LABEL.format(enabledAt);
  }

  public static String viewType(String value) {
    if (value == null || !VIEW_TYPES.contains(value)) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + value
              + "' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member"
              + " must satisfy enum value set: "
              + VIEW_TYPES);
    }
    return value;
  }

  public static String arn(String region, String table, String label) {
    return "arn:aws:dynamodb:" + region + ":000000000000:table/" + table + "/stream/" + label;
  }

  /** A stream ARN's table and label, or null when it is no stream ARN. */
  public static String[] parseArn(String arn) {
    if (arn == null) {
      return null;
    }
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("dynamodb")) {
      return null;
    }
    String resource = parts[5];
    int stream = resource.indexOf("/stream/");
    if (!resource.startsWith("table/") || stream < 7) {
      return null;
    }
    String label = resource.substring(stream + "/stream/".length());
    return label.isEmpty()
        ? null
        : new String[] {resource.substring("table/".length(), stream), label};
  }

  /** A sequence number as DynamoDB Streams shows it: a numeric string, ordered as text too. */
  public static String sequenceNumber(long seq) {
    return String.format("%021d", seq);
  }

  /** A sequence number of a request; -1 when it is none. */
  public static long parseSequenceNumber(String text) {
    if (text == null
        || text.isEmpty()
        || text.length() > 40
        || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The new image a record (or event) of this view type carries: null when none. */
  public static JsonNode newImage(String viewType, JsonNode current) {
    return viewType.equals("NEW_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES") ? current : null;
  }

  /** The old image a record (or event) of this view type carries: null when none. */
  public static JsonNode oldImage(String viewType, JsonNode old) {
    return viewType.equals("OLD_IMAGE") || viewType.equals("NEW_AND_OLD_IMAGES") ? old : null;
  }
}
