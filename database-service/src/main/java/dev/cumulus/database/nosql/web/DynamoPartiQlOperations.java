package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.TableService;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.partiql.Statement;
import dev.cumulus.database.nosql.domain.partiql.Statements;
import dev.cumulus.database.nosql.domain.partiql.Translator;
import dev.cumulus.database.nosql.domain.partiql.Translator.DynamoRequest;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * PartiQL: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction. Each statement is
 * translated into the JSON API request that does the same and run by that operation.
 */
@Component
class DynamoPartiQlOperations {

  static final int MAX_BATCH = 25;
  static final int MAX_TRANSACTION = 100;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final TableService tables;
  private final Map<String, DynamoOperation> json = new HashMap<>();
  private final ObjectMapper mapper;

  DynamoPartiQlOperations(
      TableService tables,
      DynamoItemOperations items,
      DynamoReadOperations reads,
      ObjectMapper mapper) {
    this.tables = tables;
    this.mapper = mapper;
    json.putAll(items.operations());
    json.putAll(reads.operations());
  }

  Map<String, DynamoOperation> operations() {
    return Map.of(
        "ExecuteStatement", this::execute,
        "BatchExecuteStatement", this::batch,
        "ExecuteTransaction", this::transaction);
  }

  private Mono<ObjectNode> execute(Instance instance, String region, JsonNode request) {
    String text = Fields.required(request, "Statement");
    Statement statement = Statements.parse(text, parameters(request));
    return tables
        .recentSchema(instance, statement.table())
        .flatMap(
            schema -> {
              if (statement instanceof Statement.Select select) {
                DynamoRequest read = Translator.select(select, schema);
                copy(request, read.body(), "Limit", "ConsistentRead");
                String token = Fields.text(request, "NextToken");
                if (token != null) {
                  read.body().set("ExclusiveStartKey", startKey(token, text));
                }
                return json.get(read.operation())
                    .handle(instance, region, read.body())
                    .map(page -> items(page, text));
              }
              if (statement instanceof Statement.Exists) {
                throw DynamoException.validation("EXISTS is only allowed in ExecuteTransaction");
              }
              DynamoRequest write = Translator.write(statement, schema);
              return json.get(write.operation())
                  .handle(instance, region, write.body())
                  .map(DynamoPartiQlOperations::returned)
                  .onErrorMap(error -> duplicate(statement, error));
            });
  }

  private Mono<ObjectNode> batch(Instance instance, String region, JsonNode request) {
    JsonNode statements = Fields.array(request, "Statements");
    if (statements == null || statements.isEmpty() || statements.size() > MAX_BATCH) {
      throw DynamoException.validation(
          "1 validation error detected: Value at 'statements' failed to satisfy constraint:"
              + " Member must have length less than or equal to 25 and greater than or equal to 1");
    }
    List<Statement> parsed = parseAll(statements, "Batch statements");
    if (parsed.stream().anyMatch(s -> s instanceof Statement.Exists)) {
      throw DynamoException.validation("EXISTS is only allowed in ExecuteTransaction");
    }
    return Flux.range(0, parsed.size())
        .concatMap(
            i -> {
              Statement statement = parsed.get(i);
              return tables
                  .recentSchema(instance, statement.table())
                  .flatMap(
                      schema -> {
                        DynamoRequest one =
                            statement instanceof Statement.Select select
                                ? Translator.get(select, schema)
                                : Translator.write(statement, schema);
                        copy(statements.get(i), one.body(), "ConsistentRead");
                        return json.get(one.operation()).handle(instance, region, one.body());
                      })
                  .map(out -> batchResponse(statement, out))
                  .onErrorResume(
                      DynamoException.class,
                      error -> Mono.just(batchError(statement, duplicate(statement, error))));
            })
        .collectList()
        .map(
            responses -> {
              ObjectNode out = NODES.objectNode();
              out.putArray("Responses").addAll(responses);
              return out;
            });
  }

  private Mono<ObjectNode> transaction(Instance instance, String region, JsonNode request) {
    JsonNode statements = Fields.array(request, "TransactStatements");
    if (statements == null || statements.isEmpty() || statements.size() > MAX_TRANSACTION) {
      throw DynamoException.validation(
          "1 validation error detected: Value at 'transactStatements' failed to satisfy"
              + " constraint: Member must have length less than or equal to 100 and greater than"
              + " or equal to 1");
    }
    List<Statement> parsed = parseAll(statements, "Transactions");
    boolean reads = parsed.getFirst() instanceof Statement.Select;
    return Flux.fromIterable(parsed)
        .concatMap(
            statement ->
                tables
                    .recentSchema(instance, statement.table())
                    .map(schema -> transactItem(statement, schema)))
        .collectList()
        .flatMap(
            elements -> {
              ObjectNode transact = NODES.objectNode();
              transact.putArray("TransactItems").addAll(elements);
              copy(request, transact, "ClientRequestToken");
              String operation = reads ? "TransactGetItems" : "TransactWriteItems";
              return json.get(operation).handle(instance, region, transact);
            })
        .map(out -> reads ? out : NODES.objectNode())
        .onErrorMap(error -> duplicateReasons(parsed, error));
  }

  private static ObjectNode transactItem(Statement statement, TableSchema schema) {
    ObjectNode element = NODES.objectNode();
    if (statement instanceof Statement.Select select) {
      element.set("Get", Translator.get(select, schema).body());
      return element;
    }
    DynamoRequest write = Translator.write(statement, schema);
    ObjectNode body = write.body();
    if (!"NONE".equals(body.path("ReturnValues").asString("NONE"))) {
      throw DynamoException.validation("RETURNING is not allowed in a transaction");
    }
    body.remove("ReturnValues");
    String member =
        switch (write.operation()) {
          case "PutItem" -> "Put";
          case "UpdateItem" -> "Update";
          case "DeleteItem" -> "Delete";
          default -> write.operation();
        };
    element.set(member, body);
    return element;
  }

  /** Parses each entry's Statement with its Parameters; all must be reads or all writes. */
  private static List<Statement> parseAll(JsonNode entries, String what) {
    List<Statement> parsed = new ArrayList<>();
    for (JsonNode entry : entries) {
      parsed.add(Statements.parse(Fields.required(entry, "Statement"), parameters(entry)));
    }
    long reading = parsed.stream().filter(s -> s instanceof Statement.Select).count();
    if (reading != 0 && reading != parsed.size()) {
      throw DynamoException.validation(what + " must be either all reads or all writes, not both");
    }
    return parsed;
  }

  // responses

  private ObjectNode items(ObjectNode page, String statement) {
    ObjectNode out = NODES.objectNode();
    out.set("Items", page.has("Items") ? page.get("Items") : NODES.arrayNode());
    JsonNode last = page.get("LastEvaluatedKey");
    if (last != null) {
      out.put("NextToken", nextToken(last, statement));
      out.set("LastEvaluatedKey", last);
    }
    return out;
  }

  private static ObjectNode returned(ObjectNode written) {
    ObjectNode out = NODES.objectNode();
    ArrayNode items = out.putArray("Items");
    if (written.has("Attributes")) {
      items.add(written.get("Attributes"));
    }
    return out;
  }

  private static ObjectNode batchResponse(Statement statement, ObjectNode out) {
    ObjectNode response = NODES.objectNode().put("TableName", statement.table());
    if (out.has("Item")) {
      response.set("Item", out.get("Item"));
    }
    return response;
  }

  private static ObjectNode batchError(Statement statement, Throwable error) {
    DynamoException dynamo = (DynamoException) error;
    String code =
        switch (dynamo.type()) {
          case "ValidationException" -> "ValidationError";
          case "ThrottlingException" -> "ThrottlingError";
          case "InternalServerError" -> "InternalServerError";
          default -> dynamo.type().replaceFirst("Exception$", "");
        };
    ObjectNode response = NODES.objectNode().put("TableName", statement.table());
    response.putObject("Error").put("Code", code).put("Message", dynamo.getMessage());
    return response;
  }

  /** An INSERT's failed existence check is DynamoDB's DuplicateItemException. */
  private static Throwable duplicate(Statement statement, Throwable error) {
    if (statement instanceof Statement.Insert
        && error instanceof DynamoException dynamo
        && dynamo.type().equals("ConditionalCheckFailedException")) {
      return new DynamoException(
          ErrorKind.CONFLICT, "DuplicateItemException", "Duplicate primary key exists in table");
    }
    return error;
  }

  /** In a cancelled transaction, an INSERT's failed check is reported as DuplicateItem. */
  private static Throwable duplicateReasons(List<Statement> statements, Throwable error) {
    if (!(error instanceof DynamoException dynamo) || dynamo.cancellationReasons().isEmpty()) {
      return error;
    }
    List<Map<String, Object>> reasons = new ArrayList<>();
    for (int i = 0; i < dynamo.cancellationReasons().size(); i++) {
      Map<String, Object> reason = new HashMap<>(dynamo.cancellationReasons().get(i));
      if (i < statements.size()
          && statements.get(i) instanceof Statement.Insert
          && "ConditionalCheckFailed".equals(reason.get("Code"))) {
        reason.put("Code", "DuplicateItem");
        reason.put("Message", "Duplicate primary key exists in table");
      }
      reasons.add(reason);
    }
    String message =
        dynamo
            .getMessage()
            .replace("ConditionalCheckFailed", "DuplicateItem"); // keeps the per-item list in step
    return new DynamoException(dynamo.kind(), dynamo.type(), message, reasons);
  }

  // request members

  private static List<JsonNode> parameters(JsonNode request) {
    JsonNode parameters = Fields.array(request, "Parameters");
    List<JsonNode> out = new ArrayList<>();
    if (parameters != null) {
      parameters.forEach(out::add);
    }
    return out;
  }

  private static void copy(JsonNode from, ObjectNode to, String... members) {
    for (String member : members) {
      JsonNode value = Fields.get(from, member);
      if (value != null) {
        to.set(member, value);
      }
    }
  }

  /** NextToken: the page's LastEvaluatedKey, bound to the statement it continues. */
  private String nextToken(JsonNode lastEvaluatedKey, String statement) {
    ObjectNode token = NODES.objectNode().put("s", statement.hashCode());
    token.set("k", lastEvaluatedKey);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(mapper.writeValueAsString(token).getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode startKey(String nextToken, String statement) {
    try {
      JsonNode token = mapper.readTree(Base64.getUrlDecoder().decode(nextToken));
      if (token.path("s").asInt() == statement.hashCode() && token.path("k").isObject()) {
        return token.get("k");
      }
    } catch (IllegalArgumentException | JacksonException e) {
      // falls through to the refusal
    }
    throw DynamoException.validation("The NextToken is not valid for this statement");
  }
}
