package dev.cumulus.database.nosql.application;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A page of a Query or Scan.
 *
 * @param scannedCount items evaluated before the filter
 * @param scannedBytes their size, which read capacity is counted from
 * @param lastEvaluatedKey where the next page starts, or null when this was the last
 * @param globalIndex whether it was read from a global secondary index (which has capacity of its
 *     own)
 */
public record Page(
    List<JsonNode> items,
    int count,
    int scannedCount,
    long scannedBytes,
    JsonNode lastEvaluatedKey,
    boolean globalIndex) {}
