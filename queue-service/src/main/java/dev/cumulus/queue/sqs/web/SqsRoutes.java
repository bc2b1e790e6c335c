package dev.cumulus.queue.sqs.web;

import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.queue.queues.domain.QueueErrors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The SQS JSON 1.0 protocol: {@code POST <prefix>} (or any path under it, such as a queue URL) with
 * {@code X-Amz-Target: AmazonSQS.<Operation>}. Every request is SigV4-verified with the instance's
 * access keys, then dispatched through {@link SqsOperations}; failures are answered as SQS does,
 * with {@code __type}, {@code message} and the {@code x-amzn-query-error} header.
 */
public class SqsRoutes {

  private static final Logger log = LoggerFactory.getLogger(SqsRoutes.class);
  private static final String TARGET_PREFIX = "AmazonSQS.";

  /** Ten messages of 256 KiB as JSON strings, with room for escaping and attributes. */
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private final String prefix;
  private final SigV4Authenticator authenticator;
  private final InstanceRegistry instances;
  private final SqsOperations operations;
  private final ObjectMapper json;

  public SqsRoutes(
      String prefix,
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      SqsOperations operations,
      ObjectMapper json) {
    this.prefix = prefix;
    this.authenticator = authenticator;
    this.instances = instances;
    this.operations = operations;
    this.json = json;
  }

  public RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route(
        RequestPredicates.path(prefix).or(RequestPredicates.path(prefix + "/**")), this::handle);
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    String requestId = RequestIdWebFilter.requestIdOf(request.exchange());
    return DataBufferUtils.join(request.exchange().getRequest().getBody(), MAX_BODY)
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .flatMap(body -> call(request, body))
        .flatMap(
            output ->
                ServerResponse.ok()
                    .contentType(MediaType.parseMediaType("application/x-amz-json-1.0"))
                    .header("x-amzn-RequestId", requestId)
                    .bodyValue(json.writeValueAsBytes(output)))
        .onErrorResume(e -> error(request, e, requestId));
  }

  private Mono<Object> call(ServerRequest request, byte[] body) {
    if (!"POST".equals(request.method().name())) {
      return Mono.error(
          QueueErrors.of(
              ErrorKind.METHOD_NOT_ALLOWED,
              "InvalidAction",
              "The SQS JSON protocol takes POST requests."));
    }
    String rawPath = request.exchange().getRequest().getURI().getRawPath();
    Map<String, List<String>> query = new LinkedHashMap<>();
    request.queryParams().forEach(query::put);
    HttpHeaders headers = new HttpHeaders();
    headers.addAll(request.headers().asHttpHeaders());
    if (headers.getFirst("x-amz-content-sha256") == null) {
      // SQS clients sign the body's hash without sending it as a header; S3's verifier wants it.
      headers.set("x-amz-content-sha256", sha256Hex(body));
    }
    String target = headers.getFirst("X-Amz-Target");
    return authenticator
        .authenticate("POST", UriUtils.decode(rawPath, StandardCharsets.UTF_8), query, headers)
        .flatMap(
            auth ->
                instances
                    .require(auth.grant().tenantId(), auth.grant().serviceId())
                    .onErrorMap(
                        e -> e instanceof ApiException api && api.kind() == ErrorKind.NOT_FOUND,
                        e ->
                            QueueErrors.of(
                                ErrorKind.FORBIDDEN,
                                "InvalidClientTokenId",
                                "The security token included in the request is invalid."))
                    .map(
                        instance ->
                            new SqsCall(
                                instance.tenantId(),
                                instance.serviceId(),
                                auth.grant().accessKeyId(),
                                parse(body),
                                baseUrl(request))))
        .flatMap(call -> operations.run(operation(target), call));
  }

  private static String operation(String target) {
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw QueueErrors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidAction",
          "The SQS JSON protocol needs X-Amz-Target: AmazonSQS.<Operation> (the query protocol"
              + " is not supported).");
    }
    return target.substring(TARGET_PREFIX.length());
  }

  private JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw QueueErrors.invalidParameter("The request body must be a JSON object.");
      }
      return node;
    } catch (tools.jackson.core.JacksonException e) {
      throw QueueErrors.of(
          ErrorKind.BAD_REQUEST, "InvalidParameterValue", "The request body is not valid JSON.");
    }
  }

  /** {@code <scheme>://<Host as the client sent it><prefix>}: the SigV4-signed host. */
  private String baseUrl(ServerRequest request) {
    String scheme = request.headers().firstHeader("X-Forwarded-Proto");
    if (scheme == null) {
      scheme = request.uri().getScheme() == null ? "http" : request.uri().getScheme();
    }
    String host = request.headers().firstHeader(HttpHeaders.HOST);
    if (host == null) {
      host = request.uri().getAuthority();
    }
    return scheme + "://" + host + prefix;
  }

  private Mono<ServerResponse> error(ServerRequest request, Throwable failure, String requestId) {
    ApiException e;
    if (failure instanceof ApiException api) {
      e = api;
    } else if (failure instanceof org.springframework.core.io.buffer.DataBufferLimitException) {
      e = QueueErrors.of(ErrorKind.BAD_REQUEST, "BatchRequestTooLong", "The request is too long.");
    } else {
      log.error("SQS {} failed [requestId={}]", request.path(), requestId, failure);
      e =
          QueueErrors.of(
              ErrorKind.INTERNAL, "InternalFailure", "We encountered an internal error.");
    }
    String code = SqsErrors.code(e);
    SqsErrors.Wire wire = SqsErrors.wire(code, e.kind());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("__type", "com.amazonaws.sqs#" + code);
    body.put("message", e.getMessage());
    return ServerResponse.status(wire.status())
        .contentType(MediaType.parseMediaType("application/x-amz-json-1.0"))
        .header("x-amzn-RequestId", requestId)
        .header(
            "x-amzn-query-error", wire.queryCode() + ";" + (wire.sender() ? "Sender" : "Receiver"))
        .bodyValue(json.writeValueAsBytes(body));
  }

  private static String sha256Hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
