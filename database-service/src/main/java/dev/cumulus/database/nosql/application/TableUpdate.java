package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.StreamSetting;
import dev.cumulus.database.nosql.domain.TableSchema;
import java.util.Map;

/**
 * What an UpdateTable asks for; null members are left as they are.
 *
 * @param definitions attribute definitions to add (those of a new GSI's keys)
 * @param read provisioned read capacity of the table (with {@code write})
 * @param createIndex a GSI to add, backfilled from the table's items
 * @param deleteIndex the name of a GSI to remove
 * @param indexThroughput GSI name -> {read, write} capacity
 * @param stream a StreamSpecification: enable a stream or disable it
 */
public record TableUpdate(
    Map<String, String> definitions,
    String billingMode,
    Long read,
    Long write,
    TableSchema.Index createIndex,
    String deleteIndex,
    Map<String, long[]> indexThroughput,
    StreamSetting stream) {}
