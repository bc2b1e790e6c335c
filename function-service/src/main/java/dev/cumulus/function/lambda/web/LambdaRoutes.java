package dev.cumulus.function.lambda.web;

import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
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
import tools.jackson.databind.ObjectMapper;

/**
 * The AWS Lambda REST API ({@code /2015-03-31/functions...}) under a prefix, so that {@code aws
 * lambda} and the SDKs' {@code LambdaClient} work with {@code endpointOverride
 * http://<host>/lambda}. Every request is SigV4-verified with the instance's access keys, then
 * dispatched by {@link LambdaOperations}; errors are answered as Lambda does ({@code
 * x-amzn-ErrorType} and {@code {"Type","message"}}).
 */
class LambdaRoutes {

  private static final Logger log = LoggerFactory.getLogger(LambdaRoutes.class);

  /** Lambda's limits: 6 MB synchronous payloads; 50 MB zips, base64 in JSON. */
  private static final int MAX_BODY = 70 * 1024 * 1024;

  private static final String API_VERSION = "2015-03-31";

  private final String prefix;
  private final SigV4Authenticator authenticator;
  private final InstanceRegistry instances;
  private final LambdaOperations operations;
  private final ObjectMapper json;

  LambdaRoutes(
      String prefix,
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      LambdaOperations operations,
      ObjectMapper json) {
    this.prefix = prefix;
    this.authenticator = authenticator;
    this.instances = instances;
    this.operations = operations;
    this.json = json;
  }

  RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route(RequestPredicates.path(prefix + "/**"), this::handle);
  }

  private Mono<ServerResponse> handle(ServerRequest request) {
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
        .flatMap(body -> verify(request, body))
        .flatMap(operations::run)
        .map(response -> response.header("x-amzn-RequestId", requestId))
        .flatMap(LambdaOperations.Response::render)
        .onErrorResume(e -> error(request, e, requestId));
  }

  private Mono<LambdaCall> verify(ServerRequest request, byte[] body) {
    String rawPath = request.exchange().getRequest().getURI().getRawPath();
    String path = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
    Map<String, List<String>> query = new LinkedHashMap<>();
    request.queryParams().forEach(query::put);
    HttpHeaders headers = new HttpHeaders();
    headers.addAll(request.headers().asHttpHeaders());
    if (headers.getFirst("x-amz-content-sha256") == null) {
      // Lambda clients sign the body's hash without sending it as a header; the verifier wants it.
      headers.set("x-amz-content-sha256", sha256Hex(body));
    }
    String method = request.method().name();
    return authenticator
        .authenticate(method, path, query, headers)
        .flatMap(
            auth ->
                instances
                    .require(auth.grant().tenantId(), auth.grant().serviceId())
                    .onErrorMap(
                        e -> e instanceof ApiException api && api.kind() == ErrorKind.NOT_FOUND,
                        e ->
                            LambdaErrors.of(
                                ErrorKind.FORBIDDEN,
                                "UnrecognizedClientException",
                                "The security token included in the request is invalid."))
                    .map(
                        instance ->
                            new LambdaCall(
                                instance.tenantId(),
                                instance.serviceId(),
                                method,
                                route(path),
                                query,
                                headers,
                                body)));
  }

  /** The path's segments after {@code <prefix>/2015-03-31/}, or an unknown-operation error. */
  private List<String> route(String path) {
    String rest = path.substring(prefix.length());
    List<String> segments = Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
    if (segments.size() < 2 || !API_VERSION.equals(segments.get(0))) {
      throw LambdaErrors.of(
          ErrorKind.NOT_FOUND, "UnknownOperationException", "Unknown operation " + rest);
    }
    return segments.subList(1, segments.size());
  }

  private Mono<ServerResponse> error(ServerRequest request, Throwable failure, String requestId) {
    ApiException e;
    if (failure instanceof ApiException api) {
      e = api;
    } else if (failure instanceof DataBufferLimitException) {
      e =
          LambdaErrors.of(
              ErrorKind.PAYLOAD_TOO_LARGE,
              "RequestTooLargeException",
              "Request must be smaller than " + MAX_BODY + " bytes.");
    } else {
      log.error("Lambda {} failed [requestId={}]", request.path(), requestId, failure);
      e = LambdaErrors.of(ErrorKind.INTERNAL, "ServiceException", "An internal error occurred.");
    }
    String code = LambdaErrors.code(e);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Type", e.kind().defaultStatus().is5xxServerError() ? "Service" : "User");
    body.put("message", e.getMessage());
    return ServerResponse.status(e.kind().defaultStatus())
        .contentType(MediaType.APPLICATION_JSON)
        .header("x-amzn-RequestId", requestId)
        .header("x-amzn-ErrorType", code)
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
