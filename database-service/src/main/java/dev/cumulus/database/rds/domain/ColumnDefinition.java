package dev.cumulus.database.rds.domain;

import dev.cumulus.platform.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column of the seed's create-table map, e.g. {@code "VARCHAR(255) UNIQUE NOT NULL"}: parsed
 * into a known type and constraints, then written out again by {@link #sql}. Nothing of the input
 * reaches the DDL unparsed, so a definition cannot smuggle SQL in.
 *
 * @param type the type in canonical spelling, with its modifiers and array brackets
 * @param defaultValue the rendered DEFAULT expression, or null
 */
public record ColumnDefinition(
    String name,
    String type,
    boolean primaryKey,
    boolean notNull,
    boolean unique,
    String defaultValue) {

  /** Types by their spelling(s); multi-word spellings are matched first. */
  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("smallint", "smallint"),
          Map.entry("int2", "smallint"),
          Map.entry("integer", "integer"),
          Map.entry("int", "integer"),
          Map.entry("int4", "integer"),
          Map.entry("bigint", "bigint"),
          Map.entry("int8", "bigint"),
          Map.entry("smallserial", "smallserial"),
          Map.entry("serial", "serial"),
          Map.entry("bigserial", "bigserial"),
          Map.entry("real", "real"),
          Map.entry("float4", "real"),
          Map.entry("double precision", "double precision"),
          Map.entry("float8", "double precision"),
          Map.entry("float", "double precision"),
          Map.entry("numeric", "numeric"),
          Map.entry("decimal", "numeric"),
          Map.entry("money", "money"),
          Map.entry("boolean", "boolean"),
          Map.entry("bool", "boolean"),
          Map.entry("text", "text"),
          Map.entry("varchar", "varchar"),
          Map.entry("character varying", "varchar"),
          Map.entry("char", "char"),
          Map.entry("character", "char"),
          Map.entry("date", "date"),
          Map.entry("time", "time"),
          Map.entry("timetz", "timetz"),
          Map.entry("timestamp", "timestamp"),
          Map.entry("timestamp without time zone", "timestamp"),
          Map.entry("timestamptz", "timestamptz"),
          Map.entry("timestamp with time zone", "timestamptz"),
          Map.entry("interval", "interval"),
          Map.entry("uuid", "uuid"),
          Map.entry("json", "json"),
          Map.entry("jsonb", "jsonb"),
          Map.entry("bytea", "bytea"),
          Map.entry("inet", "inet"),
          Map.entry("cidr", "cidr"),
          Map.entry("macaddr", "macaddr"),
          Map.entry("tsvector", "tsvector"));

  /** Types that take a length or precision: {@code varchar(255)}, {@code numeric(10,2)}. */
  private static final Set<String> WITH_MODIFIERS =
      Set.of("varchar", "char", "numeric", "time", "timestamp", "timestamptz", "interval");

  private static final Set<String> DEFAULT_KEYWORDS =
      Set.of(
          "true",
          "false",
          "null",
          "current_timestamp",
          "current_date",
          "current_time",
          "localtimestamp",
          "localtime");

  private static final Set<String> DEFAULT_FUNCTIONS =
      Set.of("now", "gen_random_uuid", "clock_timestamp", "statement_timestamp");

  private static final Pattern TOKEN =
      Pattern.compile(
          "\\s*(?:(?<str>'(?:[^']|'')*')|(?<num>-?[0-9]+(?:\\.[0-9]+)?)|(?<word>[A-Za-z_][A-Za-z0-9_]*)|(?<sym>\\[\\]|::|[(),]))");

  /** Parses the seed's text form of a column, e.g. {@code "SERIAL PRIMARY KEY"}. */
  public static ColumnDefinition parse(String column, String definition) {
    Identifiers.validate("column", column);
    List<String> tokens = tokens(column, definition);
    Cursor at = new Cursor(column, tokens);
    String type = type(at);
    boolean primaryKey = false;
    boolean notNull = false;
    boolean unique = false;
    String defaultValue = null;
    while (at.more()) {
      String word = at.next().toLowerCase(Locale.ROOT);
      switch (word) {
        case "primary" -> {
          at.expect("key");
          primaryKey = true;
        }
        case "not" -> {
          at.expect("null");
          notNull = true;
        }
        case "null" -> notNull = false;
        case "unique" -> unique = true;
        case "default" -> defaultValue = defaultExpression(at);
        default -> throw at.error("unsupported '" + word + "'");
      }
    }
    return new ColumnDefinition(column, type, primaryKey, notNull, unique, defaultValue);
  }

  /**
   * The object form: {@code {"type": "varchar(255)", "nullable": false, "primaryKey": true,
   * "unique": true, "default": "'x'"}}.
   */
  public static ColumnDefinition of(
      String column,
      String type,
      Boolean nullable,
      boolean primaryKey,
      boolean unique,
      String defaultValue) {
    ColumnDefinition parsed = parse(column, type == null ? "" : type);
    if (parsed.primaryKey || parsed.notNull || parsed.unique || parsed.defaultValue != null) {
      throw ApiException.badRequest(
          "Column '" + column + "': give constraints as fields beside \"type\", not inside it");
    }
    String rendered =
        defaultValue == null
            ? null
            : defaultExpression(new Cursor(column, tokens(column, defaultValue)));
    return new ColumnDefinition(
        column, parsed.type, primaryKey, Boolean.FALSE.equals(nullable), unique, rendered);
  }

  /** The column as it goes into CREATE TABLE. */
  public String sql() {
    StringBuilder out = new StringBuilder(Identifiers.quote("column", name)).append(' ');
    out.append(type);
    if (primaryKey) {
      out.append(" PRIMARY KEY");
    }
    if (notNull) {
      out.append(" NOT NULL");
    }
    if (unique) {
      out.append(" UNIQUE");
    }
    if (defaultValue != null) {
      out.append(" DEFAULT ").append(defaultValue);
    }
    return out.toString();
  }

  private static String type(Cursor at) {
    if (!at.more()) {
      throw at.error("a type is required");
    }
    String type = null;
    for (int words = Math.min(4, at.remaining()); words >= 1 && type == null; words--) {
      type = TYPES.get(at.peekWords(words));
      if (type != null) {
        at.skip(words);
      }
    }
    if (type == null) {
      throw at.error("unknown type '" + at.peek() + "'");
    }
    StringBuilder out = new StringBuilder(type);
    if (at.more() && at.peek().equals("(")) {
      if (!WITH_MODIFIERS.contains(type)) {
        throw at.error("type " + type + " takes no length or precision");
      }
      at.next();
      out.append('(').append(at.number());
      if (at.peek().equals(",")) {
        at.next();
        out.append(',').append(at.number());
      }
      at.expect(")");
      out.append(')');
    }
    while (at.more() && at.peek().equals("[]")) {
      at.next();
      out.append("[]");
    }
    return out.toString();
  }

  /** A literal, a keyword like CURRENT_TIMESTAMP or a known function call, optionally cast. */
  private static String defaultExpression(Cursor at) {
    if (!at.more()) {
      throw at.error("DEFAULT needs a value");
    }
    String token = at.next();
    String lower = token.toLowerCase(Locale.ROOT);
    String value;
    if (token.startsWith("'") || token.matches("-?[0-9].*")) {
      value = token;
    } else if (DEFAULT_KEYWORDS.contains(lower)) {
      value = lower.toUpperCase(Locale.ROOT);
    } else if (DEFAULT_FUNCTIONS.contains(lower)) {
      at.expect("(");
      at.expect(")");
      value = lower + "()";
    } else {
      throw at.error("unsupported DEFAULT '" + token + "'");
    }
    if (at.more() && at.peek().equals("::")) {
      at.next();
      value = value + "::" + type(at);
    }
    return value;
  }

  private static List<String> tokens(String column, String definition) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(definition);
    int position = 0;
    while (position < definition.length()) {
      if (definition.substring(position).isBlank()) {
        break;
      }
      if (!m.find(position) || m.start() != position) {
        throw ApiException.badRequest(
            "Column '"
                + column
                + "': cannot read its definition at '"
                + definition.substring(position).strip()
                + "'");
      }
      tokens.add(m.group().strip());
      position = m.end();
    }
    return tokens;
  }

  /** Reads tokens left to right. */
  private static final class Cursor {
    private final String column;
    private final List<String> tokens;
    private int index;

    Cursor(String column, List<String> tokens) {
      this.column = column;
      this.tokens = tokens;
    }

    boolean more() {
      return index < tokens.size();
    }

    int remaining() {
      return tokens.size() - index;
    }

    String peek() {
      return more() ? tokens.get(index) : "";
    }

    String peekWords(int count) {
      return String.join(" ", tokens.subList(index, index + count)).toLowerCase(Locale.ROOT);
    }

    void skip(int count) {
      index += count;
    }

    String next() {
      if (!more()) {
        throw error("the definition ends too early");
      }
      return tokens.get(index++);
    }

    void expect(String token) {
      String found = next();
      if (!found.equalsIgnoreCase(token)) {
        throw error("expected '" + token + "' but found '" + found + "'");
      }
    }

    String number() {
      String found = next();
      if (!found.matches("[0-9]{1,4}")) {
        throw error("expected a number but found '" + found + "'");
      }
      return found;
    }

    ApiException error(String why) {
      return ApiException.badRequest("Column '" + column + "': " + why);
    }
  }
}
