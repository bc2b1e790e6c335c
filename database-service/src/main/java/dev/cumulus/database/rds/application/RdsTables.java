package dev.cumulus.database.rds.application;

import dev.cumulus.database.rds.domain.ColumnDefinition;
import dev.cumulus.database.rds.domain.Identifiers;
import dev.cumulus.database.rds.domain.QueryOptions;
import dev.cumulus.database.rds.domain.QueryResult;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.instance.Instance;
import io.r2dbc.spi.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The seed's table operations, run as the instance's role: list, create from a column map, describe
 * (columns, indexes, row estimate) and insert a row. Names are validated and quoted ({@link
 * Identifiers}); values are always bound parameters.
 */
@Component
public class RdsTables {

  /** A table as listed. */
  public record TableSummary(
      String schema, String name, String type, long rowEstimate, long sizeBytes) {}

  /** A column as described. */
  public record Column(
      String name,
      String type,
      boolean nullable,
      String defaultValue,
      boolean primaryKey,
      boolean unique) {}

  /** An index as described. */
  public record Index(
      String name, List<String> columns, boolean unique, boolean primary, String definition) {}

  /** A table as described. */
  public record TableDetails(
      String schema,
      String name,
      List<Column> columns,
      List<Index> indexes,
      long rowEstimate,
      long sizeBytes) {}

  private static final String LIST =
      """
      SELECT n.nspname AS schema, c.relname AS name,
             CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END AS type,
             GREATEST(c.reltuples, 0)::bigint AS row_estimate, pg_total_relation_size(c.oid) AS size_bytes
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1, 2
      """;

  private static final String RELATION =
      "SELECT GREATEST(reltuples, 0)::bigint AS row_estimate, pg_total_relation_size(oid) AS size_bytes"
          + " FROM pg_class WHERE oid = to_regclass($1)";

  private static final String COLUMNS =
      """
      SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
             NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default_value
      FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum
      """;

  private static final String INDEXES =
      """
      SELECT i.relname::text AS name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
             pg_get_indexdef(ix.indexrelid) AS definition,
             array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                   ORDER BY k.n) AS columns
      FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
      WHERE ix.indrelid = to_regclass($1)
      ORDER BY 1
      """;

  private final SqlRunner runner;

  public RdsTables(SqlRunner runner) {
    this.runner = runner;
  }

  public Mono<List<TableSummary>> list(Instance instance) {
    return runner.withTransaction(
        instance,
        true,
        connection ->
            rows(instance, connection, LIST, List.of())
                .map(
                    rows ->
                        rows.stream()
                            .map(
                                r ->
                                    new TableSummary(
                                        (String) r.get("schema"),
                                        (String) r.get("name"),
                                        (String) r.get("type"),
                                        number(r.get("row_estimate")),
                                        number(r.get("size_bytes"))))
                            .toList()));
  }

  /** CREATE TABLE from parsed columns (and the schema when it is new); the new table described. */
  public Mono<TableDetails> create(
      Instance instance, String schema, String table, List<ColumnDefinition> columns) {
    String qualified = Identifiers.qualified(schema, table);
    if (columns.isEmpty()) {
      return Mono.error(ApiException.badRequest("A table needs at least one column in \"schema\""));
    }
    String ddl =
        "CREATE TABLE "
            + qualified
            + " ("
            + columns.stream().map(ColumnDefinition::sql).collect(Collectors.joining(", "))
            + ")";
    return runner.withTransaction(
        instance,
        false,
        connection -> {
          Mono<?> createSchema =
              "public".equals(schema)
                  ? Mono.empty()
                  : rows(
                      instance,
                      connection,
                      "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote("schema", schema),
                      List.of());
          return createSchema
              .then(rows(instance, connection, ddl, List.of()))
              .then(describe(instance, connection, schema, table));
        });
  }

  public Mono<TableDetails> describe(Instance instance, String schema, String table) {
    return runner.withTransaction(
        instance, true, connection -> describe(instance, connection, schema, table));
  }

  private Mono<TableDetails> describe(
      Instance instance, Connection connection, String schema, String table) {
    List<Object> name = List.of(Identifiers.qualified(schema, table));
    return rows(instance, connection, RELATION, name)
        .flatMap(
            relation -> {
              if (relation.isEmpty()) {
                return Mono.error(
                    ApiException.notFound("Table " + schema + "." + table + " not found"));
              }
              return rows(instance, connection, INDEXES, name)
                  .map(RdsTables::indexes)
                  .flatMap(
                      indexes ->
                          rows(instance, connection, COLUMNS, name)
                              .map(
                                  columns ->
                                      new TableDetails(
                                          schema,
                                          table,
                                          columns(columns, indexes),
                                          indexes,
                                          number(relation.get(0).get("row_estimate")),
                                          number(relation.get(0).get("size_bytes")))));
            });
  }

  /** INSERT ... RETURNING *: the row as stored (defaults and serials filled in). */
  public Mono<Map<String, Object>> insert(
      Instance instance, String schema, String table, Map<String, Object> values) {
    String qualified = Identifiers.qualified(schema, table);
    List<String> names = new ArrayList<>(values.keySet());
    String sql =
        names.isEmpty()
            ? "INSERT INTO " + qualified + " DEFAULT VALUES RETURNING *"
            : "INSERT INTO "
                + qualified
                + " ("
                + names.stream()
                    .map(n -> Identifiers.quote("column", n))
                    .collect(Collectors.joining(", "))
                + ") VALUES ("
                + IntStream.rangeClosed(1, names.size())
                    .mapToObj(i -> "$" + i)
                    .collect(Collectors.joining(", "))
                + ") RETURNING *";
    List<Object> parameters = names.stream().map(values::get).toList();
    return runner.withTransaction(
        instance,
        false,
        connection -> rows(instance, connection, sql, parameters).map(rows -> rows.get(0)));
  }

  private Mono<List<Map<String, Object>>> rows(
      Instance instance, Connection connection, String sql, List<Object> parameters) {
    QueryOptions options = new QueryOptions(false, 100_000, Integer.MAX_VALUE);
    return runner.execute(instance, connection, sql, parameters, options).map(RdsTables::maps);
  }

  /** Rows as column name to value. */
  public static List<Map<String, Object>> maps(QueryResult result) {
    List<Map<String, Object>> out = new ArrayList<>(result.rows().size());
    for (List<Object> row : result.rows()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < result.columns().size(); i++) {
        map.put(result.columns().get(i).name(), row.get(i));
      }
      out.add(map);
    }
    return out;
  }

  private static List<Index> indexes(List<Map<String, Object>> rows) {
    return rows.stream()
        .map(
            r ->
                new Index(
                    (String) r.get("name"),
                    List.of((String[]) r.get("columns")),
                    Boolean.TRUE.equals(r.get("is_unique")),
                    Boolean.TRUE.equals(r.get("is_primary")),
                    (String) r.get("definition")))
        .toList();
  }

  private static List<Column> columns(List<Map<String, Object>> rows, List<Index> indexes) {
    return rows.stream()
        .map(
            r -> {
              String name = (String) r.get("name");
              boolean primary =
                  indexes.stream().anyMatch(i -> i.primary() && i.columns().contains(name));
              boolean unique =
                  indexes.stream().anyMatch(i -> i.unique() && i.columns().equals(List.of(name)));
              return new Column(
                  name,
                  (String) r.get("type"),
                  Boolean.TRUE.equals(r.get("nullable")),
                  (String) r.get("default_value"),
                  primary,
                  unique);
            })
        .toList();
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }
}
