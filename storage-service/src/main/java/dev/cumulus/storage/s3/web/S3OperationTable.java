package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.s3.web.S3Operation.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The S3 API this endpoint serves, as a table from (path level, HTTP method, sub-resource) to
 * {@link S3Operation}. A request that names no operation of the table is one S3 has and this
 * endpoint does not: {@code NotImplemented}.
 */
final class S3OperationTable {

  /**
   * The query parameters that name a sub-resource in S3's REST API, served here or not. Any other
   * parameter (prefix, versionId, x-id, presigned X-Amz-*, ...) qualifies an operation without
   * choosing it.
   */
  static final Set<String> SUB_RESOURCES =
      Set.of(
          "accelerate",
          "acl",
          "analytics",
          "attributes",
          "cors",
          "delete",
          "encryption",
          "intelligent-tiering",
          "inventory",
          "legal-hold",
          "lifecycle",
          "location",
          "logging",
          "metadataConfiguration",
          "metrics",
          "notification",
          "object-lock",
          "ownershipControls",
          "policy",
          "policyStatus",
          "publicAccessBlock",
          "renameObject",
          "replication",
          "requestPayment",
          "restore",
          "retention",
          "select",
          "session",
          "tagging",
          "torrent",
          "uploadId",
          "uploads",
          "versioning",
          "versions",
          "website");

  private record Route(Level level, HttpMethod method, String subResource) {}

  private final Map<Route, List<S3Operation>> operations;

  private S3OperationTable(Map<Route, List<S3Operation>> operations) {
    this.operations = operations;
  }

  static Builder builder() {
    return new Builder();
  }

  /** The operation the request names; empty when this endpoint does not implement it. */
  Optional<S3Operation> find(S3Request request) {
    Route route = new Route(Level.of(request), request.method(), subResource(request));
    return operations.getOrDefault(route, List.of()).stream()
        .filter(operation -> operation.when().test(request))
        .findFirst();
  }

  /** Every operation in the table. */
  List<S3Operation> all() {
    return operations.values().stream().flatMap(List::stream).toList();
  }

  private static String subResource(S3Request request) {
    return request.query().keySet().stream()
        .filter(SUB_RESOURCES::contains)
        .findFirst()
        .orElse(null);
  }

  static final class Builder {

    private final Map<Route, List<S3Operation>> operations = new HashMap<>();

    private Builder() {}

    Builder add(
        Level level,
        HttpMethod method,
        String subResource,
        String name,
        Function<S3Call, Mono<ServerResponse>> handler) {
      return add(level, method, subResource, name, request -> true, handler);
    }

    /** An operation told apart from the next ones of its route by {@code when}. */
    Builder add(
        Level level,
        HttpMethod method,
        String subResource,
        String name,
        Predicate<S3Request> when,
        Function<S3Call, Mono<ServerResponse>> handler) {
      if (subResource != null && !SUB_RESOURCES.contains(subResource)) {
        throw new IllegalArgumentException(subResource + " is not an S3 sub-resource");
      }
      operations
          .computeIfAbsent(new Route(level, method, subResource), r -> new ArrayList<>())
          .add(new S3Operation(name, level, method, subResource, when, handler));
      return this;
    }

    S3OperationTable build() {
      Map<Route, List<S3Operation>> copy = new HashMap<>();
      operations.forEach((route, list) -> copy.put(route, List.copyOf(list)));
      return new S3OperationTable(Map.copyOf(copy));
    }
  }
}
