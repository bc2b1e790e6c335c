package dev.cumulus.database.rds.web;

import dev.cumulus.database.rds.domain.JsonValue;
import dev.cumulus.database.rds.domain.QueryResult;
import dev.cumulus.platform.error.ApiException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON values to SQL parameters and SQL values to JSON, for the seed's REST API: numbers stay
 * numbers, temporals become ISO-8601 text, bytea Base64, json/jsonb the JSON itself, arrays arrays.
 */
final class SqlJson {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private SqlJson() {}

  /** A request value as a bind parameter; objects become jsonb, arrays PostgreSQL arrays. */
  static Object parameter(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      if (node.canConvertToInt()) {
        return node.intValue();
      }
      return node.canConvertToLong() ? node.longValue() : new BigDecimal(node.bigIntegerValue());
    }
    if (node.isBigDecimal()) {
      return node.decimalValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isString()) {
      return node.stringValue();
    }
    if (node.isArray()) {
      return array((ArrayNode) node);
    }
    return new JsonValue(node.toString());
  }

  static List<Object> parameters(JsonNode array) {
    if (array == null || array.isNull() || array.isMissingNode()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw ApiException.badRequest("\"parameters\" must be an array");
    }
    List<Object> out = new ArrayList<>();
    array.forEach(node -> out.add(parameter(node)));
    return out;
  }

  /** A JSON array as a typed Java array (text[], bigint[], float8[], boolean[]); one kind only. */
  private static Object array(ArrayNode node) {
    Class<?> type = String.class;
    for (JsonNode element : node) {
      Class<?> kind =
          element.isNull()
              ? null
              : element.isBoolean()
                  ? Boolean.class
                  : element.isIntegralNumber()
                      ? Long.class
                      : element.isNumber()
                          ? Double.class
                          : element.isString() ? String.class : Object.class;
      if (kind == Object.class) {
        throw ApiException.badRequest("Array parameters hold strings, numbers or booleans only");
      }
      if (kind != null) {
        type = type == String.class || type == kind ? kind : mixed(type, kind);
      }
    }
    Object array = Array.newInstance(type, node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      Object value =
          element.isNull()
              ? null
              : type == Long.class
                  ? element.longValue()
                  : type == Double.class
                      ? element.doubleValue()
                      : type == Boolean.class ? element.booleanValue() : element.asString();
      Array.set(array, i, value);
    }
    return array;
  }

  private static Class<?> mixed(Class<?> a, Class<?> b) {
    if ((a == Long.class && b == Double.class) || (a == Double.class && b == Long.class)) {
      return Double.class;
    }
    throw ApiException.badRequest("An array parameter must not mix element types");
  }

  /** A value read from PostgreSQL as JSON. */
  static JsonNode json(Object value) {
    return switch (value) {
      case null -> NODES.nullNode();
      case Boolean b -> NODES.booleanNode(b);
      case Short s -> NODES.numberNode(s);
      case Integer i -> NODES.numberNode(i);
      case Long l -> NODES.numberNode(l);
      case BigInteger b -> NODES.numberNode(b);
      case BigDecimal d -> NODES.numberNode(d);
      case Float f -> Float.isFinite(f) ? NODES.numberNode(f) : NODES.stringNode(f.toString());
      case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.stringNode(d.toString());
      case String s -> NODES.stringNode(s);
      case byte[] bytes -> NODES.stringNode(Base64.getEncoder().encodeToString(bytes));
      case ByteBuffer buffer -> {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        yield NODES.stringNode(Base64.getEncoder().encodeToString(bytes));
      }
      case JsonValue j -> parse(j.json());
      default -> {
        if (value.getClass().isArray()) {
          ArrayNode array = NODES.arrayNode();
          for (int i = 0; i < Array.getLength(value); i++) {
            array.add(json(Array.get(value, i)));
          }
          yield array;
        }
        yield NODES.stringNode(value.toString());
      }
    };
  }

  static ObjectNode object(Map<String, Object> row) {
    ObjectNode out = NODES.objectNode();
    row.forEach((name, value) -> out.set(name, json(value)));
    return out;
  }

  /** The seed's query answer: columns, rows as objects, counts, truncation. */
  static ObjectNode result(QueryResult result) {
    ObjectNode out = NODES.objectNode();
    ArrayNode columns = out.putArray("columns");
    result.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
    ArrayNode rows = out.putArray("rows");
    for (List<Object> row : result.rows()) {
      ObjectNode object = rows.addObject();
      for (int i = 0; i < result.columns().size(); i++) {
        object.set(result.columns().get(i).name(), json(row.get(i)));
      }
    }
    out.put("rowCount", result.rows().size());
    out.put("rowsAffected", result.rowsAffected());
    out.put("truncated", result.truncated() != null);
    if (result.truncated() != null) {
      out.put("truncatedBy", result.truncated());
    }
    out.put("executionTimeMs", result.elapsedMillis());
    return out;
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JacksonException e) {
      return NODES.stringNode(json);
    }
  }
}
