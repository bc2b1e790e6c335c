package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.IndexProjection;
import dev.cumulus.database.nosql.domain.ItemKey;
import dev.cumulus.database.nosql.domain.KeyCondition;
import dev.cumulus.database.nosql.domain.KeyValue;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.expression.Ast;
import dev.cumulus.database.nosql.domain.expression.Conditions;
import dev.cumulus.database.nosql.domain.expression.Projections;
import dev.cumulus.database.nosql.persistence.ItemRepository;
import dev.cumulus.database.nosql.persistence.ItemRepository.Cursor;
import dev.cumulus.platform.instance.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Reads items: GetItem, Query and Scan pages (the 1 MB rule, Limit, filters, projections). */
@Service
public class ItemReader {

  /** A page stops once it holds this much data, as DynamoDB's. */
  public static final int MAX_PAGE_BYTES = 1024 * 1024;

  private static final int BATCH = 1000;

  private final TableService tables;
  private final ItemRepository items;

  public ItemReader(TableService tables, ItemRepository items) {
    this.tables = tables;
    this.items = items;
  }

  /** The item, or empty; projected when paths are given. */
  public Mono<JsonNode> get(
      Instance instance, String table, JsonNode key, List<Ast.Path> projection) {
    return tables
        .recentSchema(instance, table)
        .flatMap(
            schema -> items.find(instance.serviceId(), table, ItemKey.ofKey(schema, key), now()))
        .map(item -> projection == null ? item : Projections.project(item, projection));
  }

  public Mono<Page> read(Instance instance, ReadRequest request) {
    if (request.limit() != null && request.limit() < 1) {
      return Mono.error(
          DynamoException.validation(
              "1 validation error detected: Value '"
                  + request.limit()
                  + "' at 'limit' failed to satisfy constraint: Member must have value greater"
                  + " than or equal to 1"));
    }
    return tables
        .recentSchema(instance, request.table())
        .flatMap(schema -> read(instance, schema, request));
  }

  private Mono<Page> read(Instance instance, TableSchema schema, ReadRequest request) {
    TableSchema.Index index = null;
    if (request.index() != null) {
      index = schema.index(request.index());
      if (index == null) {
        throw DynamoException.indexNotFound(schema.name(), request.index());
      }
      if (!index.active()) {
        throw DynamoException.validation(
            "Cannot read from backfilling global secondary index: " + index.name());
      }
    }
    TableSchema.KeySchema keys = index == null ? schema.key() : index.key();
    Cursor start =
        request.exclusiveStartKey() == null
            ? null
            : cursor(schema, index, request.exclusiveStartKey());
    int batch = request.limit() == null ? BATCH : Math.min(request.limit(), BATCH);
    long now = now();
    Flux<ItemRepository.Row> rows;
    if (request.keyCondition() != null) {
      KeyCondition condition = request.keyCondition().apply(keys, schema.attributes());
      rows =
          items.query(
              instance.serviceId(),
              schema.name(),
              request.index(),
              condition,
              request.forward(),
              start,
              batch,
              now);
    } else {
      rows =
          items.scan(
              instance.serviceId(),
              schema.name(),
              request.index(),
              request.segment(),
              request.totalSegments(),
              start,
              batch,
              now);
    }
    TableSchema.Index queried = index;
    return rows.collectList().map(list -> page(schema, queried, request, list, batch));
  }

  private Page page(
      TableSchema schema,
      TableSchema.Index index,
      ReadRequest request,
      List<ItemRepository.Row> rows,
      int batch) {
    List<JsonNode> out = new ArrayList<>();
    int scanned = 0;
    int bytes = 0;
    JsonNode last = null;
    boolean full = false;
    for (ItemRepository.Row row : rows) {
      JsonNode item = IndexProjection.project(schema, index, row.item());
      scanned++;
      bytes += AttributeValues.itemSize(row.item());
      last = row.item();
      if (request.filter() == null || Conditions.test(request.filter(), item)) {
        out.add(
            request.projection() == null ? item : Projections.project(item, request.projection()));
      }
      if (bytes >= MAX_PAGE_BYTES) {
        full = true;
        break;
      }
    }
    boolean more = full || rows.size() == batch;
    JsonNode lastKey = more && last != null ? IndexProjection.keys(schema, index, last) : null;
    int count = out.size();
    return new Page(
        request.countOnly() ? List.of() : out,
        count,
        scanned,
        bytes,
        lastKey,
        index != null && schema.isGlobal(index));
  }

  private static Cursor cursor(TableSchema schema, TableSchema.Index index, JsonNode start) {
    try {
      ItemKey tableKey = ItemKey.ofKey(schema, ItemKey.attributes(schema, start));
      if (index == null) {
        return new Cursor(tableKey, tableKey);
      }
      JsonNode hash = start.get(index.key().hash());
      JsonNode range = index.key().range() == null ? null : start.get(index.key().range());
      if (hash == null || (index.key().range() != null && range == null)) {
        throw DynamoException.validation("The provided starting key is invalid");
      }
      return new Cursor(
          new ItemKey(KeyValue.of(hash), range == null ? KeyValue.NONE : KeyValue.of(range)),
          tableKey);
    } catch (DynamoException e) {
      throw DynamoException.validation("The provided starting key is invalid: " + e.getMessage());
    }
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }
}
