package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * DynamoDB's JSON 1.0 protocol at {@code /dynamodb}: {@code POST} with {@code X-Amz-Target:
 * DynamoDB_20120810.<Operation>} (or DynamoDB Streams' {@code
 * DynamoDBStreams_20120810.<Operation>}), signed with SigV4 by an access key of the instance. Every
 * response carries {@code x-amz-crc32}, the CRC32 of its body, which the AWS SDKs verify.
 */
@RestController
class DynamoEndpoint {

  static final MediaType AMZ_JSON = MediaType.parseMediaType("application/x-amz-json-1.0");
  private static final String TARGET_PREFIX = "DynamoDB_20120810.";
  private static final String STREAMS_TARGET_PREFIX = "DynamoDBStreams_20120810.";
  private static final Logger log = LoggerFactory.getLogger(DynamoEndpoint.class);

  private final SigV4Authenticator authenticator;
  private final InstanceRegistry instances;
  private final ObjectMapper json;
  private final Map<String, DynamoOperation> operations = new HashMap<>();

  DynamoEndpoint(
      SigV4Authenticator authenticator,
      InstanceRegistry instances,
      ObjectMapper json,
      DynamoTableOperations tables,
      DynamoItemOperations items,
      DynamoReadOperations reads,
      DynamoTagOperations tags,
      DynamoPartiQlOperations partiQl,
      DynamoStreamOperations streams) {
    this.authenticator = authenticator;
    this.instances = instances;
    this.json = json;
    for (var group :
        List.of(
            tables.operations(),
            items.operations(),
            reads.operations(),
            tags.operations(),
            partiQl.operations())) {
      group.forEach((name, operation) -> operations.put(TARGET_PREFIX + name, operation));
    }
    // DynamoDB Streams' clients sign for "dynamodb" too, so they share the endpoint.
    streams
        .operations()
        .forEach((name, operation) -> operations.put(STREAMS_TARGET_PREFIX + name, operation));
  }

  @PostMapping(path = {"/dynamodb", "/dynamodb/"})
  Mono<ResponseEntity<byte[]>> handle(
      ServerHttpRequest request, @RequestBody(required = false) byte[] body) {
    byte[] payload = body == null ? new byte[0] : body;
    String requestId = UUID.randomUUID().toString();
    return authenticate(request, payload)
        .flatMap(
            call -> {
              String target = request.getHeaders().getFirst("X-Amz-Target");
              DynamoOperation operation = target == null ? null : operations.get(target);
              if (operation == null) {
                return Mono.error(new UnknownOperation());
              }
              JsonNode input = parse(payload);
              return operation.handle(call.instance(), call.region(), input);
            })
        .map(out -> respond(HttpStatus.OK.value(), bytes(out), requestId))
        .onErrorResume(
            error -> {
              Throwable cause = clientError(error);
              if (cause instanceof UnknownOperation) {
                return Mono.just(
                    respond(
                        400,
                        bytes(
                            DynamoErrors.body(
                                DynamoErrors.CORAL_SERVICE + "UnknownOperationException", null)),
                        requestId));
              }
              DynamoErrors.Rendered rendered = DynamoErrors.render(cause);
              if (rendered.status() >= 500) {
                log.error("DynamoDB request {} failed", requestId, error);
              }
              return Mono.just(respond(rendered.status(), bytes(rendered.body()), requestId));
            });
  }

  private record Call(Instance instance, String region) {}

  private Mono<Call> authenticate(ServerHttpRequest request, byte[] payload) {
    String hash = sha256(payload);
    HttpHeaders headers = new HttpHeaders();
    headers.addAll(request.getHeaders());
    String declared = headers.getFirst("x-amz-content-sha256");
    if (declared != null && !declared.equalsIgnoreCase(hash)) {
      return Mono.error(
          new ApiException(
              ErrorKind.FORBIDDEN,
              "payload hash mismatch",
              "SignatureDoesNotMatch",
              null,
              Map.of(),
              null));
    }
    // DynamoDB clients sign the payload's hash without sending it: supply the one we computed.
    headers.set("x-amz-content-sha256", hash);
    Map<String, List<String>> query = new HashMap<>(request.getQueryParams());
    return authenticator
        .authenticate(request.getMethod().name(), request.getPath().value(), query, headers)
        .flatMap(
            auth ->
                instances
                    .require(auth.grant().tenantId(), auth.grant().serviceId())
                    .flatMap(
                        instance ->
                            "nosqldatabase".equalsIgnoreCase(instance.serviceType())
                                ? Mono.just(new Call(instance, auth.signed().region()))
                                : Mono.error(
                                    new DynamoException(
                                        ErrorKind.FORBIDDEN,
                                        "AccessDeniedException",
                                        "The access key's instance is not a NoSQL database"))));
  }

  private JsonNode parse(byte[] payload) {
    if (payload.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(payload);
      if (!node.isObject()) {
        throw DynamoException.validation("The request body must be a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new DynamoException(
          ErrorKind.BAD_REQUEST,
          "SerializationException",
          "Start of structure or map found where not expected.");
    }
  }

  /**
   * Faults of the request that surface as Java exceptions (a wrong member type) are client errors.
   */
  private static Throwable clientError(Throwable error) {
    if (error instanceof ClassCastException
        || error instanceof IllegalArgumentException
        || error instanceof NullPointerException
        || error instanceof ArithmeticException) {
      log.debug("Request refused as malformed", error);
      return DynamoException.validation("Malformed request: " + error.getMessage());
    }
    return error;
  }

  private ResponseEntity<byte[]> respond(int status, byte[] body, String requestId) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return ResponseEntity.status(status)
        .contentType(AMZ_JSON)
        .header("x-amz-crc32", Long.toString(crc.getValue()))
        .header("x-amzn-RequestId", requestId)
        .body(body);
  }

  private byte[] bytes(JsonNode node) {
    return json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An X-Amz-Target naming no operation of ours. */
  private static final class UnknownOperation extends RuntimeException {
    UnknownOperation() {
      super(null, null, false, false);
    }
  }
}
