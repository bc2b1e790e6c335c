package dev.cumulus.function.lambda.web;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.FunctionNames;
import dev.cumulus.function.sources.application.EventSourceMappingService;
import dev.cumulus.function.sources.application.EventSourceMappingService.Settings;
import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.platform.error.ErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Lambda's event source mapping operations ({@code /2015-03-31/event-source-mappings[/{UUID}]}):
 * CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings,
 * UpdateEventSourceMapping, DeleteEventSourceMapping, with Lambda's shapes.
 */
class LambdaEventSourceMappings {

  private final EventSourceMappingService mappings;
  private final BiFunction<HttpStatus, Object, LambdaOperations.Response> json;

  LambdaEventSourceMappings(
      EventSourceMappingService mappings,
      BiFunction<HttpStatus, Object, LambdaOperations.Response> json) {
    this.mappings = mappings;
    this.json = json;
  }

  Mono<LambdaOperations.Response> run(LambdaCall call, JsonNode body) {
    List<String> path = call.path();
    if (path.size() == 1) {
      return switch (call.method()) {
        case "POST" -> create(call, body);
        case "GET" -> list(call);
        default -> null;
      };
    }
    if (path.size() != 2) {
      return null;
    }
    String uuid = path.get(1);
    return switch (call.method()) {
      case "GET" -> mappings.require(call.serviceId(), uuid).map(m -> ok(HttpStatus.OK, m));
      case "PUT" ->
          mappings
              .update(call.serviceId(), uuid, settings(body, true))
              .map(m -> ok(HttpStatus.ACCEPTED, m));
      case "DELETE" ->
          mappings
              .delete(call.serviceId(), uuid)
              .map(
                  m -> {
                    Map<String, Object> out = configuration(m);
                    out.put("State", "Deleting");
                    return json.apply(HttpStatus.ACCEPTED, out);
                  });
      default -> null;
    };
  }

  private Mono<LambdaOperations.Response> create(LambdaCall call, JsonNode body) {
    Settings settings = settings(body, false);
    List<String> topics = strings(body, "Topics");
    return mappings
        .create(call.tenantId(), call.serviceId(), text(body, "EventSourceArn"), topics, settings)
        .map(m -> ok(HttpStatus.ACCEPTED, m));
  }

  private Mono<LambdaOperations.Response> list(LambdaCall call) {
    String function = call.queryParam("FunctionName");
    String name = null;
    if (function != null && !function.isEmpty()) {
      name = LambdaOperations.FunctionRef.parse(function, null).name();
    }
    return mappings
        .list(call.serviceId(), name, call.queryParam("EventSourceArn"))
        .map(
            list -> {
              List<Object> out = new ArrayList<>();
              list.forEach(m -> out.add(configuration(m)));
              return json.apply(HttpStatus.OK, Map.of("EventSourceMappings", out));
            });
  }

  private Settings settings(JsonNode body, boolean update) {
    String function = text(body, "FunctionName");
    String name = null;
    String qualifier = null;
    if (function != null) {
      LambdaOperations.FunctionRef ref = LambdaOperations.FunctionRef.parse(function, null);
      name = ref.name();
      qualifier = ref.qualifier();
    }
    String destination = null;
    JsonNode onFailure = body.path("DestinationConfig").path("OnFailure").path("Destination");
    if (onFailure.isString()) {
      destination = onFailure.asString();
    }
    Boolean enabled = null;
    JsonNode e = body.get("Enabled");
    if (e != null && !e.isNull()) {
      if (!e.isBoolean()) {
        throw FunctionErrors.invalidParameter("Enabled must be a boolean");
      }
      enabled = e.asBoolean();
    }
    return new Settings(
        name,
        qualifier,
        integer(body, "BatchSize"),
        integer(body, "MaximumBatchingWindowInSeconds"),
        integer(body, "MaximumRetryAttempts"),
        text(body, "StartingPosition"),
        body.has("FunctionResponseTypes") ? strings(body, "FunctionResponseTypes") : null,
        enabled,
        destination,
        integer(body.path("ScalingConfig"), "MaximumConcurrency"));
  }

  private LambdaOperations.Response ok(HttpStatus status, EventSourceMapping m) {
    return json.apply(status, configuration(m));
  }

  /** Lambda's EventSourceMappingConfiguration. */
  private Map<String, Object> configuration(EventSourceMapping m) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("UUID", m.uuid().toString());
    if (m.startingPosition() != null) {
      c.put("StartingPosition", m.startingPosition());
    }
    c.put("BatchSize", m.batchSize());
    c.put("MaximumBatchingWindowInSeconds", m.batchingWindowSeconds());
    c.put("EventSourceArn", m.source().arn());
    c.put(
        "FunctionArn",
        FunctionNames.arn(mappings.region(), m.serviceId(), m.functionName())
            + (Function.LATEST.equals(m.qualifier()) ? "" : ":" + m.qualifier()));
    c.put("LastModified", m.lastModified().toEpochMilli() / 1000.0);
    c.put("LastProcessingResult", m.lastProcessingResult());
    c.put("State", m.enabled() ? "Enabled" : "Disabled");
    c.put("StateTransitionReason", "USER_INITIATED");
    if (m.source().type() == EventSource.Type.KAFKA) {
      c.put("Topics", List.of(m.source().name()));
    }
    if (m.source().type() != EventSource.Type.SQS) {
      // A queue's own redrive policy retries its messages.
      c.put("MaximumRetryAttempts", m.maximumRetryAttempts());
    }
    if (m.maximumConcurrency() != null) {
      c.put("ScalingConfig", Map.of("MaximumConcurrency", m.maximumConcurrency()));
    }
    c.put(
        "FunctionResponseTypes",
        m.reportItemFailures()
            ? List.of(EventSourceMappingService.REPORT_BATCH_ITEM_FAILURES)
            : List.of());
    c.put("DestinationConfig", Map.of("OnFailure", Map.of()));
    return c;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw FunctionErrors.invalidParameter(field + " must be a string");
    }
    return value.asString();
  }

  private static Integer integer(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw FunctionErrors.invalidParameter(field + " must be an integer");
    }
    return value.asInt();
  }

  private static List<String> strings(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw FunctionErrors.of(
          ErrorKind.BAD_REQUEST, "InvalidParameterValueException", field + " must be a list");
    }
    List<String> out = new ArrayList<>();
    value.forEach(v -> out.add(v.asString()));
    return out;
  }
}
