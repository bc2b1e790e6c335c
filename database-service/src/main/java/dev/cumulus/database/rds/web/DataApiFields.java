package dev.cumulus.database.rds.web;

import dev.cumulus.database.rds.domain.JsonValue;
import dev.cumulus.database.rds.domain.QueryResult;
import dev.cumulus.platform.error.ApiException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RDS Data API's {@code Field} union and {@code ColumnMetadata}: parameters in, values out,
 * typed as the Data API types them for PostgreSQL (numeric as text, timestamps as {@code YYYY-MM-DD
 * HH:MM:SS[.f]}, json as text). Beyond the Data API, {@code arrayValue} parameters bind as
 * PostgreSQL arrays and typeHint JSON binds as jsonb.
 */
final class DataApiFields {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  /** JDBC type numbers, as the Data API reports them in columnMetadata.type. */
  private static final Map<String, Integer> JDBC_TYPES =
      Map.ofEntries(
          Map.entry("bool", -7),
          Map.entry("int2", 5),
          Map.entry("int4", 4),
          Map.entry("int8", -5),
          Map.entry("float4", 7),
          Map.entry("float8", 8),
          Map.entry("numeric", 2),
          Map.entry("varchar", 12),
          Map.entry("text", 12),
          Map.entry("bpchar", 1),
          Map.entry("name", 12),
          Map.entry("date", 91),
          Map.entry("time", 92),
          Map.entry("timestamp", 93),
          Map.entry("timestamptz", 93),
          Map.entry("bytea", -2));

  private DataApiFields() {}

  /** A SqlParameter's value; the cast its typeHint asks for goes into the SQL ({@link #cast}). */
  static Object parameter(JsonNode field, String typeHint) {
    if (field == null || !field.isObject() || field.isEmpty()) {
      throw ApiException.badRequest("A parameter needs a value");
    }
    if (field.path("isNull").asBoolean(false)) {
      return null;
    }
    if (field.has("stringValue")) {
      String text = field.path("stringValue").asString();
      return "JSON".equalsIgnoreCase(typeHint) ? new JsonValue(text) : text;
    }
    if (field.has("longValue")) {
      return field.path("longValue").asLong();
    }
    if (field.has("doubleValue")) {
      return field.path("doubleValue").asDouble();
    }
    if (field.has("booleanValue")) {
      return field.path("booleanValue").asBoolean();
    }
    if (field.has("blobValue")) {
      return Base64.getDecoder().decode(field.path("blobValue").asString());
    }
    if (field.has("arrayValue")) {
      return array(field.path("arrayValue"));
    }
    throw ApiException.badRequest("Unsupported parameter value: " + field);
  }

  /** The cast a typeHint adds after the placeholder. */
  static String cast(String typeHint) {
    if (typeHint == null) {
      return "";
    }
    return switch (typeHint.toUpperCase(Locale.ROOT)) {
      case "DATE" -> "::date";
      case "TIME" -> "::time";
      case "TIMESTAMP" -> "::timestamp";
      case "DECIMAL" -> "::numeric";
      case "UUID" -> "::uuid";
      case "JSON" -> "::jsonb";
      default -> throw ApiException.badRequest("Unknown typeHint " + typeHint);
    };
  }

  private static Object array(JsonNode array) {
    if (array.has("longValues")) {
      return elements(array.path("longValues"), Long.class);
    }
    if (array.has("doubleValues")) {
      return elements(array.path("doubleValues"), Double.class);
    }
    if (array.has("booleanValues")) {
      return elements(array.path("booleanValues"), Boolean.class);
    }
    if (array.has("stringValues")) {
      return elements(array.path("stringValues"), String.class);
    }
    throw ApiException.badRequest(
        "arrayValue parameters: longValues, doubleValues, booleanValues or stringValues");
  }

  private static Object elements(JsonNode values, Class<?> type) {
    Object out = Array.newInstance(type, values.size());
    for (int i = 0; i < values.size(); i++) {
      JsonNode v = values.get(i);
      Array.set(
          out,
          i,
          v.isNull()
              ? null
              : type == Long.class
                  ? (Object) v.asLong()
                  : type == Double.class
                      ? (Object) v.asDouble()
                      : type == Boolean.class ? (Object) v.asBoolean() : v.asString());
    }
    return out;
  }

  /** A value read as a Data API Field. */
  static ObjectNode field(Object value) {
    ObjectNode field = NODES.objectNode();
    switch (value) {
      case null -> field.put("isNull", true);
      case Boolean b -> field.put("booleanValue", b);
      case Short s -> field.put("longValue", s.longValue());
      case Integer i -> field.put("longValue", i.longValue());
      case Long l -> field.put("longValue", l);
      case Float f -> field.put("doubleValue", f.doubleValue());
      case Double d -> field.put("doubleValue", d);
      case BigDecimal d -> field.put("stringValue", d.toPlainString());
      case byte[] bytes -> field.put("blobValue", Base64.getEncoder().encodeToString(bytes));
      case ByteBuffer buffer -> {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        field.put("blobValue", Base64.getEncoder().encodeToString(bytes));
      }
      case JsonValue json -> field.put("stringValue", json.json());
      case LocalDateTime t -> field.put("stringValue", TIMESTAMP.format(t));
      case OffsetDateTime t ->
          field.put("stringValue", TIMESTAMP.format(t.atZoneSameInstant(java.time.ZoneOffset.UTC)));
      default -> {
        if (value.getClass().isArray()) {
          field.set("arrayValue", arrayValue(value));
        } else {
          field.put("stringValue", value.toString());
        }
      }
    }
    return field;
  }

  private static ObjectNode arrayValue(Object array) {
    ObjectNode out = NODES.objectNode();
    Class<?> type = array.getClass().getComponentType();
    String member =
        type == Boolean.class || type == boolean.class
            ? "booleanValues"
            : Number.class.isAssignableFrom(type) && type != BigDecimal.class
                ? (type == Double.class || type == Float.class ? "doubleValues" : "longValues")
                : type.isArray() ? "arrayValues" : "stringValues";
    ArrayNode values = out.putArray(member);
    for (int i = 0; i < Array.getLength(array); i++) {
      Object v = Array.get(array, i);
      switch (member) {
        case "booleanValues" -> values.add((Boolean) v);
        case "longValues" -> values.add(((Number) v).longValue());
        case "doubleValues" -> values.add(((Number) v).doubleValue());
        case "arrayValues" -> values.add(arrayValue(v));
        default -> values.add(v == null ? null : v.toString());
      }
    }
    return out;
  }

  static ObjectNode columnMetadata(QueryResult.Column column) {
    ObjectNode out = NODES.objectNode();
    String type = column.type();
    boolean array = type.startsWith("_") || type.endsWith("[]");
    out.put("name", column.name());
    out.put("label", column.name());
    out.put("typeName", type);
    out.put("type", array ? 2003 : JDBC_TYPES.getOrDefault(type, 1111));
    out.put("nullable", 2);
    out.put(
        "isSigned", type.startsWith("int") || type.startsWith("float") || type.equals("numeric"));
    out.put("isCurrency", type.equals("money"));
    out.put("isCaseSensitive", type.equals("text") || type.equals("varchar"));
    out.put("isAutoIncrement", false);
    out.put("precision", 0);
    out.put("scale", 0);
    out.put("schemaName", "");
    out.put("tableName", "");
    out.put("arrayBaseColumnType", 0);
    return out;
  }
}
