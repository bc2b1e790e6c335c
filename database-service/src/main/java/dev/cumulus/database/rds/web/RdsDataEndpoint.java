package dev.cumulus.database.rds.web;

import dev.cumulus.database.rds.application.DataApiTransactions;
import dev.cumulus.database.rds.application.RdsInstances;
import dev.cumulus.database.rds.application.SqlErrors;
import dev.cumulus.database.rds.application.SqlRunner;
import dev.cumulus.database.rds.domain.Placeholders;
import dev.cumulus.database.rds.domain.QueryOptions;
import dev.cumulus.database.rds.domain.QueryResult;
import dev.cumulus.database.rds.domain.StorageCap;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import io.r2dbc.spi.Connection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RDS Data API (REST-JSON) at {@code /rds-data}: ExecuteStatement ({@code /Execute}),
 * BatchExecuteStatement, BeginTransaction, CommitTransaction and RollbackTransaction, signed with
 * SigV4 by an access key of the instance; {@code resourceArn} must name that instance (its last
 * {@code :} or {@code /} segment is the service id), {@code secretArn} is required as by AWS but
 * the access key is the credential. Statements run as the instance's role through the same {@link
 * SqlRunner} as the seed's query endpoint. Errors as the Data API's: {@code x-amzn-ErrorType} and
 * {@code {"message"}}.
 */
@RestController
class RdsDataEndpoint {

  private static final Logger log = LoggerFactory.getLogger(RdsDataEndpoint.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final SigV4Authenticator authenticator;
  private final InstanceRegistry instances;
  private final SqlRunner runner;
  private final DataApiTransactions transactions;
  private final ObjectMapper json;

  RdsDataEndpoint(
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      SqlRunner runner,
      DataApiTransactions transactions,
      ObjectMapper json) {
    this.authenticator = authenticator;
    this.instances = instances;
    this.runner = runner;
    this.transactions = transactions;
    this.json = json;
  }

  @PostMapping("/rds-data/{operation}")
  Mono<ResponseEntity<byte[]>> handle(
      ServerHttpRequest request,
      @PathVariable String operation,
      @RequestBody(required = false) byte[] body) {
    byte[] payload = body == null ? new byte[0] : body;
    String requestId = UUID.randomUUID().toString();
    return authenticate(request, payload)
        .flatMap(
            instance -> {
              JsonNode input = parse(payload);
              requireResource(instance, input);
              return switch (operation) {
                case "Execute" -> execute(instance, input);
                case "BatchExecute" -> batch(instance, input);
                case "BeginTransaction" ->
                    transactions
                        .begin(instance)
                        .map(id -> (JsonNode) NODES.objectNode().put("transactionId", id));
                case "CommitTransaction" ->
                    transactions
                        .commit(instance, text(input, "transactionId"))
                        .thenReturn(status("Transaction Committed"));
                case "RollbackTransaction" ->
                    transactions
                        .rollback(instance, text(input, "transactionId"))
                        .thenReturn(status("Rollback Complete"));
                default ->
                    Mono.error(
                        error(
                            ErrorKind.BAD_REQUEST,
                            "BadRequestException",
                            "Unsupported operation " + operation));
              };
            })
        .map(out -> respond(200, null, out, requestId))
        .onErrorResume(failure -> Mono.just(renderError(failure, requestId)));
  }

  private Mono<JsonNode> execute(Instance instance, JsonNode input) {
    Statement statement = statement(input, input.get("parameters"));
    QueryOptions options = runner.options(false, null);
    return inTransaction(
            instance,
            input,
            connection ->
                runner.executeNumbered(
                    instance,
                    connection,
                    statement.original,
                    statement.sql,
                    statement.values,
                    options))
        .map(result -> executeResult(input, result));
  }

  private Mono<JsonNode> batch(Instance instance, JsonNode input) {
    JsonNode sets = input.get("parameterSets");
    List<Statement> statements = new ArrayList<>();
    if (sets == null || !sets.isArray() || sets.isEmpty()) {
      statements.add(statement(input, null));
    } else {
      sets.forEach(set -> statements.add(statement(input, set)));
    }
    QueryOptions options = runner.options(false, null);
    return inTransaction(
            instance,
            input,
            connection ->
                Flux.fromIterable(statements)
                    .concatMap(
                        s ->
                            runner.executeNumbered(
                                instance, connection, s.original, s.sql, s.values, options))
                    .collectList())
        .map(
            results -> {
              ObjectNode out = NODES.objectNode();
              ArrayNode updates = out.putArray("updateResults");
              results.forEach(r -> updates.addObject().set("generatedFields", generated(r)));
              return out;
            });
  }

  /** In the named transaction, or in one of its own (auto-commit, as the Data API). */
  private <T> Mono<T> inTransaction(
      Instance instance, JsonNode input, java.util.function.Function<Connection, Mono<T>> work) {
    JsonNode transaction = input.get("transactionId");
    if (transaction != null && !transaction.isNull()) {
      return transactions.within(instance, transaction.asString(), work);
    }
    return runner.withTransaction(
        instance, false, StorageCap.freesSpace(input.path("sql").asString("")), work);
  }

  private record Statement(String original, String sql, List<Object> values) {}

  /** The SQL with its named parameters as $n (with typeHint casts) and their values in order. */
  private static Statement statement(JsonNode input, JsonNode parameters) {
    String sql = text(input, "sql");
    Map<String, JsonNode> byName = new HashMap<>();
    if (parameters != null && !parameters.isNull()) {
      if (!parameters.isArray()) {
        throw error(ErrorKind.BAD_REQUEST, "BadRequestException", "parameters must be a list");
      }
      for (JsonNode parameter : parameters) {
        String name = parameter.path("name").asString("");
        if (name.isEmpty()) {
          throw error(ErrorKind.BAD_REQUEST, "BadRequestException", "A parameter needs a name");
        }
        byName.put(name, parameter);
      }
    }
    Placeholders.Named named =
        Placeholders.named(
            sql,
            name -> {
              JsonNode parameter = byName.get(name);
              return parameter == null ? "" : DataApiFields.cast(hint(parameter));
            });
    List<Object> values = new ArrayList<>();
    for (String name : named.names()) {
      JsonNode parameter = byName.get(name);
      if (parameter == null) {
        throw error(
            ErrorKind.BAD_REQUEST, "BadRequestException", "No value for parameter :" + name);
      }
      values.add(DataApiFields.parameter(parameter.get("value"), hint(parameter)));
    }
    return new Statement(sql, named.sql(), values);
  }

  private static String hint(JsonNode parameter) {
    JsonNode hint = parameter.get("typeHint");
    return hint == null || hint.isNull() ? null : hint.asString();
  }

  private JsonNode executeResult(JsonNode input, QueryResult result) {
    if (result.truncated() != null) {
      throw error(
          ErrorKind.BAD_REQUEST,
          "BadRequestException",
          "bytes".equals(result.truncated())
              ? "Database returned more than the allowed response size limit"
              : "Database returned more than the allowed number of records");
    }
    ObjectNode out = NODES.objectNode();
    out.put("numberOfRecordsUpdated", result.columns().isEmpty() ? result.rowsAffected() : 0);
    boolean asJson = "JSON".equalsIgnoreCase(input.path("formatRecordsAs").asString("NONE"));
    if (!result.columns().isEmpty()) {
      if (asJson) {
        ArrayNode records = NODES.arrayNode();
        for (List<Object> row : result.rows()) {
          ObjectNode record = records.addObject();
          for (int i = 0; i < result.columns().size(); i++) {
            record.set(result.columns().get(i).name(), SqlJson.json(row.get(i)));
          }
        }
        out.put("formattedRecords", records.toString());
      } else {
        ArrayNode records = out.putArray("records");
        for (List<Object> row : result.rows()) {
          ArrayNode record = records.addArray();
          row.forEach(value -> record.add(DataApiFields.field(value)));
        }
      }
      if (input.path("includeResultMetadata").asBoolean(false)) {
        ArrayNode metadata = out.putArray("columnMetadata");
        result.columns().forEach(c -> metadata.add(DataApiFields.columnMetadata(c)));
      }
    }
    out.set("generatedFields", generated(result));
    return out;
  }

  /**
   * PostgreSQL has no generated keys to report (the Data API returns none for it either): use
   * RETURNING. An INSERT ... RETURNING of one row gives its values here too.
   */
  private static ArrayNode generated(QueryResult result) {
    ArrayNode fields = NODES.arrayNode();
    if (result.rows().size() == 1 && result.rowsAffected() == 1) {
      result.rows().get(0).forEach(value -> fields.add(DataApiFields.field(value)));
    }
    return fields;
  }

  private static JsonNode status(String status) {
    return NODES.objectNode().put("transactionStatus", status);
  }

  private Mono<Instance> authenticate(ServerHttpRequest request, byte[] payload) {
    String hash = sha256(payload);
    HttpHeaders headers = new HttpHeaders();
    headers.addAll(request.getHeaders());
    String declared = headers.getFirst("x-amz-content-sha256");
    if (declared != null && !declared.equalsIgnoreCase(hash) && !declared.startsWith("UNSIGNED")) {
      return Mono.error(
          error(ErrorKind.FORBIDDEN, "ForbiddenException", "The payload hash does not match"));
    }
    headers.set("x-amz-content-sha256", hash);
    Map<String, List<String>> query = new HashMap<>(request.getQueryParams());
    return authenticator
        .authenticate(request.getMethod().name(), request.getPath().value(), query, headers)
        .onErrorMap(
            e -> !(e instanceof ApiException api) || api.kind() != ErrorKind.SERVICE_UNAVAILABLE,
            e -> error(ErrorKind.FORBIDDEN, "ForbiddenException", e.getMessage()))
        .flatMap(
            auth ->
                instances
                    .require(auth.grant().tenantId(), auth.grant().serviceId())
                    .filter(i -> RdsInstances.TYPE.equalsIgnoreCase(i.serviceType()))
                    .switchIfEmpty(
                        Mono.error(
                            () ->
                                error(
                                    ErrorKind.FORBIDDEN,
                                    "ForbiddenException",
                                    "The access key's instance is not an RDS database"))));
  }

  /** resourceArn names the instance the access key belongs to; secretArn must be present. */
  private static void requireResource(Instance instance, JsonNode input) {
    String arn = text(input, "resourceArn");
    text(input, "secretArn");
    String id = arn.substring(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1);
    if (!id.equals(instance.serviceId())) {
      throw error(
          ErrorKind.FORBIDDEN,
          "ForbiddenException",
          "The access key does not belong to the database " + arn);
    }
  }

  private JsonNode parse(byte[] payload) {
    if (payload.length == 0) {
      return NODES.objectNode();
    }
    try {
      JsonNode node = json.readTree(payload);
      if (!node.isObject()) {
        throw error(ErrorKind.BAD_REQUEST, "BadRequestException", "The body must be a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw error(ErrorKind.BAD_REQUEST, "BadRequestException", "The body is not valid JSON");
    }
  }

  private static String text(JsonNode input, String field) {
    JsonNode value = input.get(field);
    if (value == null || !value.isString() || value.asString().isEmpty()) {
      throw error(ErrorKind.BAD_REQUEST, "BadRequestException", field + " is required");
    }
    return value.asString();
  }

  private static ApiException error(ErrorKind kind, String type, String message) {
    return new ApiException(kind, message, type, null, Map.of(), null);
  }

  private ResponseEntity<byte[]> renderError(Throwable failure, String requestId) {
    Throwable error = SqlErrors.translate(failure);
    if (error instanceof ApiException api) {
      String sqlState = SqlErrors.state(api);
      String type = api.code() != null && api.code().endsWith("Exception") ? api.code() : null;
      if (type == null) {
        type =
            switch (api.kind()) {
              case NOT_FOUND -> "NotFoundException";
              case FORBIDDEN, UNAUTHORIZED -> "ForbiddenException";
              case SERVICE_UNAVAILABLE -> "ServiceUnavailableError";
              default ->
                  SqlErrors.QUERY_TIMEOUT.equals(sqlState)
                      ? "StatementTimeoutException"
                      : "BadRequestException";
            };
      }
      String message =
          sqlState != null && api.details() != null
              ? "ERROR: "
                  + api.getMessage().replaceAll(" \\(SQLSTATE [0-9A-Z]{5}\\)$", "")
                  + "; SQLState: "
                  + sqlState
              : api.getMessage();
      return respond(
          api.kind().defaultStatus().value(),
          type,
          NODES.objectNode().put("message", message),
          requestId);
    }
    log.error("RDS Data API request {} failed", requestId, failure);
    return respond(
        500,
        "InternalServerErrorException",
        NODES.objectNode().put("message", "Internal error, request " + requestId),
        requestId);
  }

  private ResponseEntity<byte[]> respond(
      int status, String errorType, JsonNode body, String requestId) {
    ResponseEntity.BodyBuilder builder =
        ResponseEntity.status(status)
            .contentType(MediaType.APPLICATION_JSON)
            .header("x-amzn-RequestId", requestId);
    if (errorType != null) {
      builder.header("x-amzn-ErrorType", errorType);
    }
    return builder.body(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
