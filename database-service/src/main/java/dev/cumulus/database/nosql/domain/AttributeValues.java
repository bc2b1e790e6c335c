package dev.cumulus.database.nosql.domain;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * DynamoDB AttributeValues as their JSON form ({@code {"S":"x"}}, {@code {"N":"1"}}, {@code
 * {"M":{...}}}, ...): validation, normalisation of numbers, equality and ordering as DynamoDB
 * defines them, and item sizes.
 */
public final class AttributeValues {

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  public static final Set<String> TYPES =
      Set.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");
  public static final int MAX_ITEM_SIZE = 400 * 1024;
  private static final BigDecimal MAX_NUMBER =
      new BigDecimal("9.9999999999999999999999999999999999999E+125");
  private static final BigDecimal MIN_POSITIVE = new BigDecimal("1E-130");

  private AttributeValues() {}

  /** The value's type, e.g. {@code S}; a ValidationException if it is no AttributeValue. */
  public static String type(JsonNode value) {
    if (value == null || !value.isObject() || value.size() != 1) {
      throw DynamoException.validation(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of"
              + " the supported datatypes");
    }
    String type = value.propertyNames().iterator().next();
    if (!TYPES.contains(type)) {
      throw DynamoException.validation(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    return type;
  }

  /** A validated copy with numbers normalised, as DynamoDB stores it. */
  public static JsonNode normalize(JsonNode value) {
    String type = type(value);
    JsonNode v = value.get(type);
    return switch (type) {
      case "S" -> {
        requireText(v, type);
        yield value;
      }
      case "B" -> {
        bytes(value);
        yield value;
      }
      case "N" -> of("N", NODES.stringNode(normalizeNumber(text(v, type))));
      case "BOOL" -> {
        if (!v.isBoolean()) {
          throw DynamoException.validation("BOOL must be a boolean");
        }
        yield value;
      }
      case "NULL" -> {
        if (!v.isBoolean() || !v.booleanValue()) {
          throw DynamoException.invalidParameter(
              "Null attribute value types must have the value of true");
        }
        yield value;
      }
      case "M" -> {
        if (!v.isObject()) {
          throw DynamoException.validation("M must be a map");
        }
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          map.set(noNul(e.getKey()), normalize(e.getValue()));
        }
        yield of("M", map);
      }
      case "L" -> {
        if (!v.isArray()) {
          throw DynamoException.validation("L must be a list");
        }
        ArrayNode list = NODES.arrayNode();
        v.forEach(e -> list.add(normalize(e)));
        yield of("L", list);
      }
      default -> of(type, normalizeSet(type, v));
    };
  }

  private static ArrayNode normalizeSet(String type, JsonNode v) {
    if (!v.isArray()) {
      throw DynamoException.validation(type + " must be a list");
    }
    if (v.isEmpty()) {
      throw DynamoException.invalidParameter(
          "An string set  may not be empty".replace("string", setName(type)));
    }
    ArrayNode set = NODES.arrayNode();
    Set<String> seen = new HashSet<>();
    for (JsonNode e : v) {
      String text = text(e, type);
      if (type.equals("NS")) {
        text = normalizeNumber(text);
      } else if (type.equals("BS")) {
        decode(text);
      }
      if (!seen.add(type.equals("BS") ? Arrays.toString(decode(text)) : text)) {
        throw DynamoException.invalidParameter("Input collection " + v + " contains duplicates.");
      }
      set.add(text);
    }
    return set;
  }

  private static String setName(String type) {
    return switch (type) {
      case "NS" -> "number set";
      case "BS" -> "binary set";
      default -> "string set";
    };
  }

  /** DynamoDB's canonical number: up to 38 digits, trailing zeros dropped, no exponent. */
  public static String normalizeNumber(String text) {
    BigDecimal n = number(text);
    if (n.signum() == 0) {
      return "0";
    }
    return n.stripTrailingZeros().toPlainString();
  }

  public static BigDecimal number(String text) {
    BigDecimal n;
    try {
      n = new BigDecimal(text.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw DynamoException.validation("A value provided cannot be converted into a number");
    }
    BigDecimal abs = n.abs();
    if (n.signum() != 0) {
      if (abs.compareTo(MAX_NUMBER) > 0) {
        throw DynamoException.validation(
            "Number overflow. Attempting to store a number with magnitude larger than supported range");
      }
      if (abs.compareTo(MIN_POSITIVE) < 0) {
        throw DynamoException.validation(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range");
      }
      if (n.stripTrailingZeros().precision() > 38) {
        throw DynamoException.validation(
            "Attempting to store more than 38 significant digits in a Number");
      }
    }
    return n;
  }

  public static byte[] bytes(JsonNode value) {
    return decode(text(value.get("B"), "B"));
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw DynamoException.validation("Invalid Base64 in a binary AttributeValue");
    }
  }

  private static void requireText(JsonNode v, String type) {
    text(v, type);
  }

  private static String text(JsonNode v, String type) {
    if (v == null || !v.isString()) {
      throw DynamoException.validation(
          "Supplied AttributeValue has an invalid " + type + " value: a string is expected");
    }
    return noNul(v.stringValue());
  }

  /** PostgreSQL's text and jsonb cannot hold U+0000; Cumulus refuses it (docs/nosql.md). */
  public static String noNul(String text) {
    if (text.indexOf(0) >= 0) {
      throw DynamoException.validation("Strings and attribute names may not contain U+0000 here");
    }
    return text;
  }

  public static ObjectNode of(String type, JsonNode value) {
    ObjectNode node = NODES.objectNode();
    node.set(type, value);
    return node;
  }

  public static ObjectNode s(String value) {
    return of("S", NODES.stringNode(value));
  }

  public static ObjectNode n(BigDecimal value) {
    return of("N", NODES.stringNode(normalizeNumber(value.toPlainString())));
  }

  public static String string(JsonNode value) {
    return value.get("S").stringValue();
  }

  public static BigDecimal numberOf(JsonNode value) {
    return new BigDecimal(value.get("N").stringValue());
  }

  /** DynamoDB equality: numbers by value, sets regardless of order. */
  public static boolean equal(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return false;
    }
    String type = type(a);
    if (!type.equals(type(b))) {
      return false;
    }
    JsonNode x = a.get(type);
    JsonNode y = b.get(type);
    return switch (type) {
      case "N" -> number(x.stringValue()).compareTo(number(y.stringValue())) == 0;
      case "B" -> Arrays.equals(bytes(a), bytes(b));
      case "SS", "BS" -> strings(x).equals(strings(y));
      case "NS" -> numbers(x).equals(numbers(y));
      case "L" -> {
        if (x.size() != y.size()) {
          yield false;
        }
        for (int i = 0; i < x.size(); i++) {
          if (!equal(x.get(i), y.get(i))) {
            yield false;
          }
        }
        yield true;
      }
      case "M" -> {
        if (x.size() != y.size()) {
          yield false;
        }
        for (Map.Entry<String, JsonNode> e : x.properties()) {
          if (!equal(e.getValue(), y.get(e.getKey()))) {
            yield false;
          }
        }
        yield true;
      }
      default -> x.equals(y);
    };
  }

  /**
   * Orders two scalars of one type (S by UTF-8 bytes, N numerically, B bytewise); null when they
   * cannot be ordered (other types or different types).
   */
  public static Integer compare(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return null;
    }
    String type = type(a);
    if (!type.equals(type(b))) {
      return null;
    }
    return switch (type) {
      case "S" ->
          Arrays.compareUnsigned(
              string(a).getBytes(StandardCharsets.UTF_8),
              string(b).getBytes(StandardCharsets.UTF_8));
      case "N" -> numberOf(a).compareTo(numberOf(b));
      case "B" -> Arrays.compareUnsigned(bytes(a), bytes(b));
      default -> null;
    };
  }

  private static Set<String> strings(JsonNode set) {
    Set<String> out = new HashSet<>();
    set.forEach(e -> out.add(e.stringValue()));
    return out;
  }

  private static Set<BigDecimal> numbers(JsonNode set) {
    Set<BigDecimal> out = new HashSet<>();
    set.forEach(e -> out.add(number(e.stringValue()).stripTrailingZeros()));
    return out;
  }

  /** Elements of a set or list value, each as an AttributeValue. */
  public static List<JsonNode> elements(JsonNode value) {
    String type = type(value);
    List<JsonNode> out = new ArrayList<>();
    JsonNode v = value.get(type);
    switch (type) {
      case "L" -> v.forEach(out::add);
      case "SS" -> v.forEach(e -> out.add(of("S", e)));
      case "NS" -> v.forEach(e -> out.add(of("N", e)));
      case "BS" -> v.forEach(e -> out.add(of("B", e)));
      default -> throw new IllegalArgumentException(type);
    }
    return out;
  }

  /** An item's size as DynamoDB counts it: attribute names plus values, in bytes. */
  public static int itemSize(JsonNode item) {
    int size = 0;
    for (Map.Entry<String, JsonNode> e : item.properties()) {
      size += utf8(e.getKey()) + valueSize(e.getValue());
    }
    return size;
  }

  private static int valueSize(JsonNode value) {
    String type = type(value);
    JsonNode v = value.get(type);
    return switch (type) {
      case "S" -> utf8(v.stringValue());
      case "N" -> numberSize(v.stringValue());
      case "B" -> bytes(value).length;
      case "BOOL", "NULL" -> 1;
      case "SS" -> sum(v, e -> utf8(e.stringValue()));
      case "NS" -> sum(v, e -> numberSize(e.stringValue()));
      case "BS" -> sum(v, e -> decode(e.stringValue()).length);
      case "L" -> 3 + sum(v, e -> 1 + valueSize(e));
      default -> {
        int size = 3;
        for (Map.Entry<String, JsonNode> e : v.properties()) {
          size += 1 + utf8(e.getKey()) + valueSize(e.getValue());
        }
        yield size;
      }
    };
  }

  private static int sum(JsonNode values, java.util.function.ToIntFunction<JsonNode> size) {
    int total = 0;
    for (JsonNode e : values) {
      total += size.applyAsInt(e);
    }
    return total;
  }

  private static int numberSize(String n) {
    String digits = n.replace("-", "").replace(".", "");
    return (digits.length() + 1) / 2 + 1;
  }

  public static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
