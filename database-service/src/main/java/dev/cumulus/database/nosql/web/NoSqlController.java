package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.ItemReader;
import dev.cumulus.database.nosql.application.ItemWriter;
import dev.cumulus.database.nosql.application.TableService;
import dev.cumulus.database.nosql.application.ThroughputGate.Direction;
import dev.cumulus.database.nosql.application.WriteOp;
import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.KeyValue;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.web.CapacityMeter.Metered;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceAccess;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed 000's "DynamoDB-like NoSQL Service": tables and items of an instance in the seed's camelCase
 * JSON, AttributeValues as DynamoDB's; errors in the DockSaaS envelope with DynamoDB's error names
 * as codes.
 */
@RestController
@RequestMapping("/api/nosqldatabase/{tenantId}/{serviceId}")
class NoSqlController {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String REGION = "local";

  /** The seed's item calls ask for no ConsumedCapacity; they are still admitted and charged. */
  private static final JsonNode NO_OPTIONS = NODES.objectNode();

  private final InstanceAccess access;
  private final TableService tables;
  private final ItemReader reader;
  private final ItemWriter writer;
  private final DynamoReadOperations reads;
  private final CapacityMeter meter;

  NoSqlController(
      InstanceAccess access,
      TableService tables,
      ItemReader reader,
      ItemWriter writer,
      DynamoReadOperations reads,
      CapacityMeter meter) {
    this.access = access;
    this.tables = tables;
    this.reader = reader;
    this.writer = writer;
    this.reads = reads;
    this.meter = meter;
  }

  @GetMapping("/tables")
  Mono<JsonNode> listTables(@PathVariable String tenantId, @PathVariable String serviceId) {
    return instance(tenantId, serviceId)
        .flatMap(
            instance ->
                tables
                    .list(instance, null, 100)
                    .flatMapMany(page -> Flux.fromIterable(page.names()))
                    .concatMap(name -> tables.describe(instance, name))
                    .map(
                        details ->
                            TableJson.camelCase(TableJson.describe(details, REGION, "ACTIVE")))
                    .collectList())
        .map(
            list -> {
              ObjectNode out = NODES.objectNode();
              ArrayNode array = out.putArray("tables");
              list.forEach(array::add);
              out.put("count", list.size());
              return out;
            });
  }

  @PostMapping("/tables")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<JsonNode> createTable(
      @PathVariable String tenantId, @PathVariable String serviceId, @RequestBody JsonNode body) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> tables.create(instance, TableJson.parse(body)))
        .map(details -> TableJson.camelCase(TableJson.describe(details, REGION, "ACTIVE")));
  }

  @GetMapping("/tables/{table}")
  Mono<JsonNode> describeTable(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String table) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> tables.describe(instance, table))
        .map(details -> TableJson.camelCase(TableJson.describe(details, REGION, "ACTIVE")));
  }

  @DeleteMapping("/tables/{table}")
  Mono<JsonNode> deleteTable(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String table) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> tables.delete(instance, table))
        .map(details -> TableJson.camelCase(TableJson.describe(details, REGION, "DELETING")));
  }

  @PostMapping("/tables/{table}/items")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<JsonNode> putItem(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @RequestBody JsonNode body) {
    ObjectNode request = body.isObject() ? ((ObjectNode) body).deepCopy() : NODES.objectNode();
    request.put("TableName", table);
    return instance(tenantId, serviceId)
        .flatMap(
            instance ->
                meter.run(
                    instance,
                    NO_OPTIONS,
                    table,
                    Direction.WRITE,
                    writer
                        .write(instance, DynamoItemOperations.writeOp("Put", request))
                        .map(
                            result ->
                                Metered.of(
                                    item("item", result.current()), table, result.consumption()))));
  }

  @GetMapping("/tables/{table}/items/{key}")
  Mono<JsonNode> getItem(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @PathVariable String key,
      @RequestParam(required = false) String rangeKey) {
    return instance(tenantId, serviceId)
        .flatMap(
            instance ->
                tables
                    .schema(instance, table)
                    .flatMap(
                        schema ->
                            meter.run(
                                instance,
                                NO_OPTIONS,
                                table,
                                Direction.READ,
                                reader
                                    .get(instance, table, key(schema, key, rangeKey), null)
                                    .map(
                                        found ->
                                            Metered.of(
                                                item("item", found),
                                                table,
                                                DynamoItemOperations.readOf(found, true)))
                                    .defaultIfEmpty(
                                        Metered.of(
                                            NODES.objectNode(),
                                            table,
                                            DynamoItemOperations.readOf(null, true))))))
        .flatMap(out -> out.isEmpty() ? Mono.error(itemNotFound(table, key)) : Mono.just(out));
  }

  @DeleteMapping("/tables/{table}/items/{key}")
  Mono<JsonNode> deleteItem(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @PathVariable String key,
      @RequestParam(required = false) String rangeKey) {
    return instance(tenantId, serviceId)
        .flatMap(
            instance ->
                tables
                    .schema(instance, table)
                    .flatMap(
                        schema ->
                            meter.run(
                                instance,
                                NO_OPTIONS,
                                table,
                                Direction.WRITE,
                                writer
                                    .write(
                                        instance,
                                        new WriteOp.Delete(table, key(schema, key, rangeKey), null))
                                    .map(
                                        result ->
                                            Metered.of(
                                                result.old() == null
                                                    ? NODES.objectNode()
                                                    : item("item", result.old()),
                                                table,
                                                result.consumption())))))
        .flatMap(out -> out.isEmpty() ? Mono.error(itemNotFound(table, key)) : Mono.just(out));
  }

  @PostMapping("/tables/{table}/query")
  Mono<JsonNode> query(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @RequestBody JsonNode body) {
    return instance(tenantId, serviceId)
        .flatMap(instance -> reads.query(instance, table, body))
        .map(TableJson::camelCaseTopLevel);
  }

  @PostMapping("/tables/{table}/scan")
  Mono<JsonNode> scan(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String table,
      @RequestBody(required = false) JsonNode body) {
    JsonNode request = body == null ? NODES.objectNode() : body;
    return instance(tenantId, serviceId)
        .flatMap(instance -> reads.scan(instance, table, request))
        .map(TableJson::camelCaseTopLevel);
  }

  private Mono<Instance> instance(String tenantId, String serviceId) {
    return access
        .require(tenantId, serviceId)
        .filter(instance -> "nosqldatabase".equalsIgnoreCase(instance.serviceType()))
        .switchIfEmpty(
            Mono.error(() -> ApiException.notFound("NoSQL database " + serviceId + " not found")));
  }

  /** The item key from the path: the hash key's value as text, the range key's as a parameter. */
  private static JsonNode key(TableSchema schema, String hash, String range) {
    ObjectNode key = NODES.objectNode();
    key.set(schema.key().hash(), attribute(schema.type(schema.key().hash()), hash));
    if (schema.key().range() != null) {
      if (range == null) {
        throw DynamoException.validation(
            "The table has a range key: give its value as the rangeKey query parameter");
      }
      key.set(schema.key().range(), attribute(schema.type(schema.key().range()), range));
    }
    return key;
  }

  private static JsonNode attribute(String type, String text) {
    if (type.equals("N")) {
      AttributeValues.number(text);
    }
    return KeyValue.attribute(type, text);
  }

  private static ApiException itemNotFound(String table, String key) {
    return new DynamoException(
        ErrorKind.NOT_FOUND,
        "ResourceNotFoundException",
        "Item " + key + " not found in table " + table);
  }

  private static ObjectNode item(String member, JsonNode item) {
    ObjectNode out = NODES.objectNode();
    out.set(member, item);
    return out;
  }
}
