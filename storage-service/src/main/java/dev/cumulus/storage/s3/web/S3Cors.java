package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.cors.application.CorsService;
import dev.cumulus.storage.cors.domain.CorsRule;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Bucket CORS as S3 honours it. Preflights ({@code OPTIONS} under the S3 prefix) are answered here,
 * as a filter ahead of Spring Security and of WebFlux's handler mapping, which would otherwise
 * answer every preflight itself: browsers cannot sign a preflight, so none is asked for. Actual
 * requests get the matching rule's headers from {@link #decorate}, error responses included.
 */
class S3Cors implements WebFilter, Ordered {

  static final String VARY =
      "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
  private static final Logger log = LoggerFactory.getLogger(S3Cors.class);

  private final String prefix;
  private final CorsService cors;

  S3Cors(String prefix, CorsService cors) {
    this.prefix = prefix;
    this.cors = cors;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10; // after the request id, before security
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String rawPath = exchange.getRequest().getURI().getRawPath();
    if (exchange.getRequest().getMethod() != HttpMethod.OPTIONS
        || !(rawPath.equals(prefix) || rawPath.startsWith(prefix + "/"))) {
      return chain.filter(exchange);
    }
    return preflight(exchange, rawPath);
  }

  private Mono<Void> preflight(ServerWebExchange exchange, String rawPath) {
    HttpHeaders headers = exchange.getRequest().getHeaders();
    String origin = headers.getOrigin();
    String method = headers.getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    S3Path path = S3Path.of(rawPath, prefix);
    String bucket = path.bucket();
    String resourceType = path.key() == null ? "BUCKET" : "OBJECT";
    ServerHttpResponse response = exchange.getResponse();
    response.getHeaders().set("x-amz-request-id", RequestIdWebFilter.requestIdOf(exchange));
    if (origin == null) {
      return reject(
          exchange,
          HttpStatus.BAD_REQUEST,
          "BadRequest",
          "Insufficient information. Origin request header needed.",
          null,
          resourceType);
    }
    if (method == null || !CorsRule.METHODS.contains(method)) {
      return reject(
          exchange,
          HttpStatus.BAD_REQUEST,
          "BadRequest",
          "Invalid Access-Control-Request-Method: " + method,
          method,
          resourceType);
    }
    List<String> requested = requestedHeaders(headers);
    if (bucket == null) {
      return notAllowed(exchange, method, resourceType);
    }
    return cors.preflight(bucket, origin, method, requested)
        .flatMap(
            found -> {
              if (!found.configured()) {
                return reject(
                    exchange,
                    HttpStatus.FORBIDDEN,
                    "AccessForbidden",
                    "CORSResponse: CORS is not enabled for this bucket.",
                    method,
                    resourceType);
              }
              if (found.rule() == null) {
                return notAllowed(exchange, method, resourceType);
              }
              CorsRule rule = found.rule();
              HttpHeaders out = response.getHeaders();
              allowOrigin(out, rule, origin);
              out.set(
                  HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS,
                  String.join(", ", rule.allowedMethods()));
              if (!requested.isEmpty()) {
                // S3 echoes the requested headers (the rule's wildcards allowed them).
                out.set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", requested));
              }
              exposeHeaders(out, rule);
              if (rule.maxAgeSeconds() != null) {
                out.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, rule.maxAgeSeconds().toString());
              }
              response.setStatusCode(HttpStatus.OK);
              return response.setComplete();
            });
  }

  /**
   * Adds the matching rule's headers to an actual request's response (nothing when the request
   * carries no Origin or no rule matches). Never fails the request.
   */
  Mono<Void> decorate(ServerWebExchange exchange, Instance instance, String bucket, String method) {
    String origin = exchange.getRequest().getHeaders().getOrigin();
    if (origin == null || bucket == null) {
      return Mono.empty();
    }
    return cors.ruleFor(instance, bucket, origin, method)
        .doOnNext(
            rule -> {
              HttpHeaders out = exchange.getResponse().getHeaders();
              allowOrigin(out, rule, origin);
              out.set(
                  HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS,
                  String.join(", ", rule.allowedMethods()));
              exposeHeaders(out, rule);
              if (rule.maxAgeSeconds() != null) {
                out.set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, rule.maxAgeSeconds().toString());
              }
            })
        .onErrorResume(
            e -> {
              log.warn("CORS rules of bucket {} could not be read", bucket, e);
              return Mono.empty();
            })
        .then();
  }

  private static void allowOrigin(HttpHeaders out, CorsRule rule, String origin) {
    String allowed = rule.allowOrigin(origin);
    out.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    if (!"*".equals(allowed)) {
      // S3 allows credentials (cookies are irrelevant to it) whenever it names the origin.
      out.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    out.set(HttpHeaders.VARY, VARY);
  }

  private static void exposeHeaders(HttpHeaders out, CorsRule rule) {
    if (!rule.exposeHeaders().isEmpty()) {
      out.set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, String.join(", ", rule.exposeHeaders()));
    }
  }

  private static List<String> requestedHeaders(HttpHeaders headers) {
    return headers.getOrEmpty(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::strip)
        .filter(h -> !h.isEmpty())
        .toList();
  }

  private static Mono<Void> notAllowed(
      ServerWebExchange exchange, String method, String resourceType) {
    return reject(
        exchange,
        HttpStatus.FORBIDDEN,
        "AccessForbidden",
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of"
            + " Origin, request method / Access-Control-Request-Method or"
            + " Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
        method,
        resourceType);
  }

  private static Mono<Void> reject(
      ServerWebExchange exchange,
      HttpStatus status,
      String code,
      String message,
      String method,
      String resourceType) {
    String xml =
        S3Xml.plain("Error")
            .element("Code", code)
            .element("Message", message)
            .element("Method", method)
            .element("ResourceType", resourceType)
            .element("RequestId", RequestIdWebFilter.requestIdOf(exchange))
            .end("Error");
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_XML);
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    response.getHeaders().setContentLength(bytes.length);
    return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
  }
}
