package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.context.RequestIdWebFilter;
import dev.cumulus.platform.error.ApiError;
import dev.cumulus.platform.error.ApiErrors;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.error.S3ErrorCodes;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import dev.cumulus.storage.access.domain.Principal;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.common.StorageErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * The S3 wire protocol under a path prefix ({@code /s3} by default, path-style addressing: {@code
 * /s3/<bucket>/<key>}, or {@code /s3/i/<tenantId>/<serviceId>/<bucket>/<key>} in an instance's
 * namespace: {@link S3Path}). Every signed request is SigV4-verified here (Spring Security leaves
 * the prefix alone: the signature is the credential) and bound to the storage instance its access
 * key was issued for, or, in a namespace, reaches that namespace's instance as its owner or as
 * another caller (an anonymous one when unsigned), whose access {@link S3AccessGate} decides;
 * dispatched to its operation in {@link S3Api}'s table (timed per operation: {@link S3Metrics}),
 * and any failure is answered in S3's XML error shape.
 */
class S3Routes {

  private static final Logger log = LoggerFactory.getLogger(S3Routes.class);

  /** The AWS SDKs send larger bodies only after 100 Continue (their default threshold, 1 MiB). */
  private static final long DRAINED_BODY_LIMIT = 1024 * 1024;

  private final String prefix;
  private final SigV4Authenticator authenticator;
  private final InstanceRegistry instances;
  private final S3OperationTable operations;
  private final S3Cors cors;
  private final S3Expiration expiration;
  private final S3Metrics metrics;
  private final BucketService buckets;
  private final S3AccessGate gate;
  private final S3AclWrites aclWrites;

  S3Routes(
      String prefix,
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      S3OperationTable operations,
      S3Cors cors,
      S3Expiration expiration,
      S3Metrics metrics,
      BucketService buckets,
      S3AccessGate gate,
      S3AclWrites aclWrites) {
    this.prefix = prefix;
    this.authenticator = authenticator;
    this.instances = instances;
    this.operations = operations;
    this.cors = cors;
    this.expiration = expiration;
    this.metrics = metrics;
    this.buckets = buckets;
    this.gate = gate;
    this.aclWrites = aclWrites;
  }

  public RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route(
        RequestPredicates.path(prefix).or(RequestPredicates.path(prefix + "/**")), this::handle);
  }

  Mono<ServerResponse> handle(ServerRequest request) {
    long start = System.nanoTime();
    String rawPath = request.exchange().getRequest().getURI().getRawPath();
    S3Path path = S3Path.of(rawPath, prefix);
    String bucket = path.bucket();
    String key = path.key();
    Map<String, List<String>> query =
        parseQuery(request.exchange().getRequest().getURI().getRawQuery());
    S3Request target =
        new S3Request(request.method(), bucket, key, query, request.headers().asHttpHeaders());
    Optional<S3Operation> operation = operations.find(target);
    String name = operation.map(S3Operation::name).orElse(S3Metrics.NOT_IMPLEMENTED);
    request
        .exchange()
        .getResponse()
        .getHeaders()
        .set("x-amz-request-id", RequestIdWebFilter.requestIdOf(request.exchange()));
    return caller(request, path, query, target)
        .flatMap(caller -> addressed(path, caller, request, target))
        .flatMap(
            call ->
                Mono.defer(() -> guarded(operation, call))
                    .flatMap(response -> expiration.decorate(call, response))
                    .onErrorResume(error -> error(request, rawPath, bucket, key, error))
                    .flatMap(response -> withCors(request, call.instance(), bucket, response)))
        .onErrorResume(
            error ->
                error(request, rawPath, bucket, key, error)
                    .flatMap(response -> withCors(request, null, bucket, response)))
        .doOnNext(response -> metrics.record(name, response.statusCode().value(), start));
  }

  /** Who signed the request (and its instance); anonymous only in an instance's namespace. */
  private record Caller(SigV4Authenticator.Authenticated auth, Instance instance) {}

  private static final Caller ANONYMOUS = new Caller(null, null);

  private Mono<Caller> caller(
      ServerRequest request, S3Path path, Map<String, List<String>> query, S3Request target) {
    HttpHeaders headers = request.headers().asHttpHeaders();
    boolean signed =
        headers.containsHeader(HttpHeaders.AUTHORIZATION)
            || query.containsKey("X-Amz-Algorithm")
            || query.containsKey("AWSAccessKeyId");
    // A browser upload is signed inside its form: PostObject authenticates it once read.
    if (!signed && (path.namespaced() || S3PostObjectOperations.isBrowserUpload(target))) {
      return Mono.just(ANONYMOUS);
    }
    return authenticator
        .authenticate(request.method().name(), path.decoded(), query, headers)
        .flatMap(
            auth ->
                instances
                    .require(auth.grant().tenantId(), auth.grant().serviceId())
                    .onErrorMap(
                        e -> e instanceof ApiException api && api.kind() == ErrorKind.NOT_FOUND,
                        e ->
                            S3ErrorCode.ACCESS_DENIED.error(
                                "The storage instance of this access key is not available"))
                    .map(instance -> new Caller(auth, instance)));
  }

  /**
   * The call on the instance the path names: the signer's own without a namespace, else the
   * namespace's (a missing instance has no buckets: NoSuchBucket, or AccessDenied for the service
   * itself).
   */
  private Mono<S3Call> addressed(
      S3Path path, Caller caller, ServerRequest request, S3Request target) {
    if (!path.namespaced()) {
      return Mono.just(
          caller.instance() == null
              ? new S3Call(request, null, null, target, Principal.ANONYMOUS) // a browser upload
              : new S3Call(request, caller.auth(), caller.instance(), target));
    }
    return instances
        .require(path.tenantId(), path.serviceId())
        .onErrorMap(
            e -> e instanceof ApiException api && api.kind() == ErrorKind.NOT_FOUND,
            e ->
                target.bucket() == null
                    ? S3AccessGate.denied()
                    : StorageErrors.noSuchBucket(target.bucket()))
        .map(
            instance -> {
              boolean owner =
                  caller.instance() != null
                      && caller.instance().serviceId().equals(instance.serviceId());
              Principal principal =
                  caller.instance() == null
                      ? Principal.ANONYMOUS
                      : new Principal(caller.instance().serviceId(), owner);
              return new S3Call(request, caller.auth(), instance, target, principal);
            });
  }

  /**
   * The operation, once the request's input is one any operation could take ({@link S3Inputs},
   * checked before the access decision so bad input is a 400 for everyone) and the caller may do
   * it; an ACL it gives what it writes, once written.
   */
  private Mono<ServerResponse> guarded(Optional<S3Operation> operation, S3Call call) {
    String name = operation.map(S3Operation::name).orElse(null);
    S3Inputs.check(call.target());
    return gate.check(call, name)
        .then(aclWrites.before(call, name))
        .flatMap(
            intent ->
                dispatch(operation, call, buckets)
                    .flatMap(
                        response ->
                            aclWrites.after(call, name, intent, response).thenReturn(response)));
  }

  /** The bucket's CORS headers on an actual request's response (preflights: {@link S3Cors}). */
  private Mono<ServerResponse> withCors(
      ServerRequest request, Instance instance, String bucket, ServerResponse response) {
    return cors.decorate(request.exchange(), instance, bucket, request.method().name())
        .thenReturn(response);
  }

  /**
   * The operation's handler (its input checked by {@link #guarded}). A request the table does not
   * serve is {@code NotImplemented}, but only after its bucket is found: a call on a missing bucket
   * is NoSuchBucket whatever it asks, as AWS answers.
   */
  private static Mono<ServerResponse> dispatch(
      Optional<S3Operation> operation, S3Call call, BucketService buckets) {
    S3Request target = call.target();
    if (operation.isPresent()) {
      return operation.get().handle(call);
    }
    ApiException notImplemented =
        S3ErrorCode.NOT_IMPLEMENTED.error(
            target.method().name() + " with " + target.query().keySet());
    if (target.bucket() == null) {
      return Mono.error(notImplemented);
    }
    return buckets.requireRecent(call.instance(), target.bucket()).then(Mono.error(notImplemented));
  }

  private Mono<ServerResponse> error(
      ServerRequest request, String rawPath, String bucket, String key, Throwable failure) {
    return unreadSmallBodyDrained(request)
        .then(Mono.defer(() -> errorResponse(request, rawPath, bucket, key, failure)));
  }

  private Mono<ServerResponse> errorResponse(
      ServerRequest request, String rawPath, String bucket, String key, Throwable failure) {
    String requestId = RequestIdWebFilter.requestIdOf(request.exchange());
    ApiError error =
        ApiErrors.from(S3ErrorCode.translate(failure), request.method().name(), rawPath, requestId);
    HttpStatus status = status(error);
    if (status.is5xxServerError() && error.kind() != ErrorKind.SERVICE_UNAVAILABLE) {
      log.error("S3 {} {} failed [requestId={}]", request.method(), rawPath, requestId, failure);
    }
    ServerResponse.BodyBuilder response =
        ServerResponse.status(status).header("x-amz-request-id", requestId);
    if (carriesBody(request)) {
      // The body may be unread (a key refused before it): the connection cannot serve another
      // request, whose bytes would be taken for the rest of this body. A client that sent
      // Expect: 100-continue never sends it at all.
      response.header(HttpHeaders.CONNECTION, "close");
    }
    if (request.method() == HttpMethod.HEAD) {
      return response.build();
    }
    String code = error.code() != null ? error.code() : S3ErrorCodes.of(error.kind());
    S3Xml xml =
        S3Xml.plain("Error")
            .element("Code", code)
            .element("Message", error.message())
            .element("Details", error.details());
    if (failure instanceof S3ErrorElements particulars) {
      particulars.elements().forEach(xml::element);
    }
    String body =
        xml.element("BucketName", bucket)
            .element("Key", key)
            .element("Resource", rawPath)
            .element("RequestId", requestId)
            .end("Error");
    return response.contentType(MediaType.APPLICATION_XML).bodyValue(body);
  }

  /**
   * Reads and drops a refused request's small body before the error goes out. The error closes the
   * connection, and closing a socket with unread bytes makes the kernel answer them with a reset,
   * which can destroy the error response before the client reads it (the SDK's URL connection
   * client then sees "Error writing request body to server" on every retry). A large body, one of
   * unknown length, or one the client holds back until 100 Continue is not read: that connection
   * just closes. A body a handler already read cannot be subscribed to again, which is fine.
   */
  private static Mono<Void> unreadSmallBodyDrained(ServerRequest request) {
    HttpHeaders headers = request.headers().asHttpHeaders();
    long length = headers.getContentLength();
    if (length <= 0 || length > DRAINED_BODY_LIMIT || headers.containsHeader(HttpHeaders.EXPECT)) {
      return Mono.empty();
    }
    return request
        .exchange()
        .getRequest()
        .getBody()
        .doOnNext(DataBufferUtils::release)
        .then()
        .onErrorResume(alreadyRead -> Mono.empty());
  }

  private static boolean carriesBody(ServerRequest request) {
    HttpHeaders headers = request.headers().asHttpHeaders();
    return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
  }

  private static HttpStatus status(ApiError error) {
    if (S3ErrorCode.NOT_IMPLEMENTED.code().equals(error.code())) {
      return HttpStatus.NOT_IMPLEMENTED;
    }
    return error.kind().defaultStatus();
  }

  /** Decodes {@code a=1&b&c=%2F} without turning {@code +} into a space (SigV4 does not). */
  static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = UriUtils.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : UriUtils.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return query;
  }
}
