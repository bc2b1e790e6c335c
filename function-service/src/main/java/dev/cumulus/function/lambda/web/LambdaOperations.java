package dev.cumulus.function.lambda.web;

import dev.cumulus.function.common.domain.FunctionErrors;
import dev.cumulus.function.functions.application.FunctionService;
import dev.cumulus.function.functions.application.InvocationService;
import dev.cumulus.function.functions.domain.Function;
import dev.cumulus.function.functions.domain.FunctionSettings;
import dev.cumulus.function.functions.domain.InvocationReport;
import dev.cumulus.function.sandbox.domain.InvocationOutcome;
import dev.cumulus.function.sources.application.EventSourceMappingService;
import dev.cumulus.platform.error.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Lambda API operations on the function domain: Invoke, CreateFunction, GetFunction,
 * GetFunctionConfiguration, ListFunctions, UpdateFunctionCode, DeleteFunction. Shapes are Lambda's
 * (PascalCase FunctionConfiguration).
 */
class LambdaOperations {

  /** Lambda's LastModified format. */
  private static final DateTimeFormatter LAST_MODIFIED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  /** X-Amz-Log-Result carries the last 4 KB of the log. */
  private static final int LOG_TAIL = 4096;

  private final FunctionService functions;
  private final InvocationService invocations;
  private final LambdaEventSourceMappings eventSourceMappings;
  private final ObjectMapper json;
  private final int maxLogChars;

  LambdaOperations(
      FunctionService functions,
      InvocationService invocations,
      EventSourceMappingService mappings,
      ObjectMapper json,
      int maxLogChars) {
    this.functions = functions;
    this.invocations = invocations;
    this.json = json;
    this.maxLogChars = Math.min(maxLogChars, LOG_TAIL);
    this.eventSourceMappings = new LambdaEventSourceMappings(mappings, this::json);
  }

  /** An answer: status, headers and a body (JSON bytes or the function's payload). */
  record Response(HttpStatus status, HttpHeaders headers, byte[] body) {

    static Response of(HttpStatus status, byte[] body) {
      return new Response(status, new HttpHeaders(), body);
    }

    Response header(String name, String value) {
      headers.set(name, value);
      return this;
    }

    Mono<ServerResponse> render() {
      ServerResponse.BodyBuilder builder =
          ServerResponse.status(status).headers(h -> h.addAll(headers));
      return body == null
          ? builder.build()
          : builder.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
  }

  Mono<Response> run(LambdaCall call) {
    List<String> path = call.path();
    if ("event-source-mappings".equals(path.getFirst())) {
      JsonNode body =
          call.body().length == 0 && !"POST".equals(call.method())
              ? json.createObjectNode()
              : body(call);
      Mono<Response> answer = eventSourceMappings.run(call, body);
      return answer == null ? unknown(call) : answer;
    }
    if (!"functions".equals(path.getFirst())) {
      return unknown(call);
    }
    if (path.size() == 1) {
      return switch (call.method()) {
        case "GET" -> list(call);
        case "POST" -> create(call);
        default -> unknown(call);
      };
    }
    FunctionRef ref = FunctionRef.parse(path.get(1), call.queryParam("Qualifier"));
    String action = path.size() > 2 ? path.get(2) : "";
    return switch (call.method() + " " + action) {
      case "POST invocations" -> invoke(call, ref);
      case "GET " -> get(call, ref);
      case "GET configuration" -> configuration(call, ref);
      case "PUT code" -> updateCode(call, ref);
      case "DELETE " -> delete(call, ref);
      default -> unknown(call);
    };
  }

  /** A function name as Lambda takes it: a name, {@code name:qualifier} or an ARN. */
  record FunctionRef(String name, String qualifier) {

    static FunctionRef parse(String value, String qualifier) {
      String v = value;
      if (v.startsWith("arn:")) {
        String[] parts = v.split(":");
        // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
        if (parts.length < 7 || !"function".equals(parts[5])) {
          throw FunctionErrors.invalidParameter("Invalid function ARN " + value);
        }
        return new FunctionRef(parts[6], parts.length > 7 ? parts[7] : qualifier);
      }
      int colon = v.indexOf(':');
      if (colon > 0) {
        return new FunctionRef(v.substring(0, colon), v.substring(colon + 1));
      }
      return new FunctionRef(v, qualifier);
    }
  }

  private Mono<Response> invoke(LambdaCall call, FunctionRef ref) {
    String type = call.headers().getFirst("X-Amz-Invocation-Type");
    String invocationType = InvocationService.checkType(type);
    String event = event(call.body());
    return switch (invocationType) {
      case InvocationService.EVENT ->
          invocations
              .enqueue(call.tenantId(), call.serviceId(), ref.name(), ref.qualifier(), event)
              .map(
                  queued ->
                      new Response(HttpStatus.ACCEPTED, new HttpHeaders(), null)
                          .header("x-amzn-RequestId", queued.id().toString()));
      case InvocationService.DRY_RUN ->
          invocations
              .dryRun(call.serviceId(), ref.name(), ref.qualifier())
              .map(f -> new Response(HttpStatus.NO_CONTENT, new HttpHeaders(), null));
      default ->
          invocations
              .invoke(call.serviceId(), ref.name(), ref.qualifier(), event)
              .map(
                  invoked ->
                      invoked(invoked, "Tail".equals(call.headers().getFirst("X-Amz-Log-Type"))));
    };
  }

  private Response invoked(InvocationService.Invoked invoked, boolean tail) {
    InvocationOutcome o = invoked.outcome();
    byte[] payload;
    if (o.failed()) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("errorMessage", o.errorMessage());
      error.put("errorType", o.errorType());
      error.put("stackTrace", o.stackTrace());
      payload = json.writeValueAsBytes(error);
    } else {
      payload = o.resultJson().getBytes(StandardCharsets.UTF_8);
    }
    Response response =
        Response.of(HttpStatus.OK, payload)
            .header("X-Amz-Executed-Version", invoked.function().version());
    if (o.failed()) {
      response.header("X-Amz-Function-Error", "Unhandled");
    }
    if (tail) {
      String log = InvocationReport.tail(invoked.function(), o, maxLogChars);
      response.header(
          "X-Amz-Log-Result",
          Base64.getEncoder().encodeToString(log.getBytes(StandardCharsets.UTF_8)));
    }
    return response;
  }

  private Mono<Response> create(LambdaCall call) {
    JsonNode body = body(call);
    JsonNode code = body.path("Code");
    if (!code.path("ZipFile").isString()) {
      throw FunctionErrors.invalidParameter(
          "Code.ZipFile is required (images and S3 locations are not supported)");
    }
    byte[] zip = base64(code.path("ZipFile").asString());
    FunctionSettings settings =
        new FunctionSettings(
            text(body, "Runtime"),
            text(body, "Handler"),
            text(body, "Role"),
            text(body, "Description"),
            integer(body, "Timeout"),
            integer(body, "MemorySize"),
            variables(body),
            null,
            null);
    Mono<Function> created =
        functions.create(
            call.tenantId(), call.serviceId(), text(body, "FunctionName"), settings, zip);
    if (body.path("Publish").asBoolean(false)) {
      created = created.flatMap(f -> functions.publish(f.serviceId(), f.name(), null));
    }
    return created.map(f -> json(HttpStatus.CREATED, configuration(f)));
  }

  private Mono<Response> get(LambdaCall call, FunctionRef ref) {
    return functions
        .require(call.serviceId(), ref.name(), ref.qualifier())
        .map(
            f -> {
              Map<String, Object> code = new LinkedHashMap<>();
              code.put("RepositoryType", "Cumulus");
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("Configuration", configuration(f));
              out.put("Code", code);
              if (f.reservedConcurrency() != null) {
                out.put(
                    "Concurrency", Map.of("ReservedConcurrentExecutions", f.reservedConcurrency()));
              }
              return json(HttpStatus.OK, out);
            });
  }

  private Mono<Response> configuration(LambdaCall call, FunctionRef ref) {
    return functions
        .require(call.serviceId(), ref.name(), ref.qualifier())
        .map(f -> json(HttpStatus.OK, configuration(f)));
  }

  private Mono<Response> list(LambdaCall call) {
    return functions
        .list(call.serviceId())
        .map(
            list -> {
              List<Object> configurations = new ArrayList<>();
              list.forEach(f -> configurations.add(configuration(f)));
              return json(HttpStatus.OK, Map.of("Functions", configurations));
            });
  }

  private Mono<Response> updateCode(LambdaCall call, FunctionRef ref) {
    JsonNode body = body(call);
    if (!body.path("ZipFile").isString()) {
      throw FunctionErrors.invalidParameter("ZipFile is required");
    }
    Mono<Function> updated =
        functions.updateCode(call.serviceId(), ref.name(), base64(body.path("ZipFile").asString()));
    if (body.path("Publish").asBoolean(false)) {
      updated = updated.flatMap(f -> functions.publish(f.serviceId(), f.name(), null));
    }
    return updated.map(f -> json(HttpStatus.OK, configuration(f)));
  }

  private Mono<Response> delete(LambdaCall call, FunctionRef ref) {
    return functions
        .delete(call.serviceId(), ref.name())
        .thenReturn(new Response(HttpStatus.NO_CONTENT, new HttpHeaders(), null));
  }

  private Map<String, Object> configuration(Function f) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("FunctionName", f.name());
    c.put("FunctionArn", f.arn(functions.region()));
    c.put("Runtime", f.runtime());
    if (f.role() != null) {
      c.put("Role", f.role());
    }
    c.put("Handler", f.handler());
    c.put("CodeSize", f.codeSize());
    c.put("Description", f.description());
    c.put("Timeout", f.timeoutSeconds());
    c.put("MemorySize", f.memoryMb());
    c.put("LastModified", LAST_MODIFIED.format(f.lastModified()));
    c.put(
        "CodeSha256", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(f.codeSha256())));
    c.put("Version", f.version());
    c.put("Environment", Map.of("Variables", f.environment()));
    c.put("RevisionId", f.revision().toString());
    c.put("State", "Active");
    c.put("LastUpdateStatus", "Successful");
    c.put("PackageType", "Zip");
    c.put("Architectures", List.of("x86_64"));
    return c;
  }

  private Response json(HttpStatus status, Object body) {
    return Response.of(status, json.writeValueAsBytes(body));
  }

  /** The event as JSON text: the body as sent, {@code {}} when empty. */
  private String event(byte[] body) {
    if (body.length == 0) {
      return "{}";
    }
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      json.readTree(text);
      return text;
    } catch (JacksonException e) {
      throw FunctionErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequestContentException",
          "Could not parse request body into json: " + e.getOriginalMessage());
    }
  }

  private JsonNode body(LambdaCall call) {
    try {
      JsonNode node = json.readTree(call.body());
      if (node == null || !node.isObject()) {
        throw FunctionErrors.of(
            ErrorKind.BAD_REQUEST,
            "InvalidRequestContentException",
            "The body must be a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw FunctionErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequestContentException",
          "Could not parse request body into json: " + e.getOriginalMessage());
    }
  }

  private static Mono<Response> unknown(LambdaCall call) {
    return Mono.error(
        FunctionErrors.of(
            ErrorKind.NOT_FOUND,
            "UnknownOperationException",
            "Unknown operation " + call.method() + " /" + String.join("/", call.path())));
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static Integer integer(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isInt()) {
      throw FunctionErrors.invalidParameter(field + " must be an integer");
    }
    return value.asInt();
  }

  private static Map<String, String> variables(JsonNode body) {
    Map<String, String> variables = new LinkedHashMap<>();
    body.path("Environment")
        .path("Variables")
        .properties()
        .forEach(e -> variables.put(e.getKey(), e.getValue().asString()));
    return variables;
  }

  private static byte[] base64(String value) {
    try {
      return Base64.getMimeDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw FunctionErrors.invalidParameter("ZipFile is not valid base64");
    }
  }
}
