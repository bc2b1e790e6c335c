package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.KeyCondition;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.expression.Ast;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * A Query (keyCondition set) or Scan.
 *
 * @param index the index name, or null for the table
 * @param keyCondition builds the key condition from the key schema queried and attribute types
 *     (null for a Scan)
 * @param filter FilterExpression, or null
 * @param projection the paths to return, or null for all
 * @param limit the most items to evaluate, or null
 * @param exclusiveStartKey the previous page's LastEvaluatedKey, or null
 * @param countOnly Select COUNT
 */
public record ReadRequest(
    String table,
    String index,
    BiFunction<TableSchema.KeySchema, Map<String, String>, KeyCondition> keyCondition,
    Ast.Condition filter,
    List<Ast.Path> projection,
    boolean forward,
    Integer limit,
    JsonNode exclusiveStartKey,
    boolean countOnly,
    int segment,
    int totalSegments) {}
