package dev.cumulus.storage.cors.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cumulus.storage.bucket.web.StorageAccess;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.cors.application.CorsService;
import dev.cumulus.storage.cors.domain.CorsConfiguration;
import dev.cumulus.storage.cors.domain.CorsRule;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A bucket's CORS rules as JSON (S3's CORSRule elements in camelCase, the repeated ones as lists):
 * {@code /api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/cors}. The same rules, checks and
 * storage as S3's {@code ?cors} ({@link CorsService}): what one side puts the other reads.
 */
@RestController
@RequestMapping("/api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/cors")
public class CorsController {

  private final StorageAccess access;
  private final CorsService cors;

  CorsController(StorageAccess access, CorsService cors) {
    this.access = access;
    this.cors = cors;
  }

  public record Configuration(List<Rule> rules) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(
      String id,
      List<String> allowedOrigins,
      List<String> allowedMethods,
      List<String> allowedHeaders,
      List<String> exposeHeaders,
      Integer maxAgeSeconds) {

    CorsRule toDomain() {
      return new CorsRule(
          id,
          orEmpty(allowedOrigins),
          orEmpty(allowedMethods),
          allowedHeaders,
          exposeHeaders,
          maxAgeSeconds);
    }

    static Rule of(CorsRule r) {
      return new Rule(
          r.id(),
          r.allowedOrigins(),
          r.allowedMethods(),
          r.allowedHeaders(),
          r.exposeHeaders(),
          r.maxAgeSeconds());
    }
  }

  /** The rules; 404 {@code NoSuchCORSConfiguration} when the bucket has none. */
  @GetMapping
  Mono<Configuration> get(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String bucket) {
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> cors.get(instance, bucket))
        .map(CorsController::fromDomain);
  }

  /** Replaces the rules; answers them as stored. */
  @PutMapping
  Mono<Configuration> put(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      @RequestBody Configuration body) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance -> {
              CorsConfiguration rules = toDomain(body);
              return cors.put(instance, bucket, rules).thenReturn(fromDomain(rules));
            });
  }

  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(
      @PathVariable String tenantId, @PathVariable String serviceId, @PathVariable String bucket) {
    return access.require(tenantId, serviceId).flatMap(instance -> cors.delete(instance, bucket));
  }

  private static CorsConfiguration toDomain(Configuration body) {
    if (body == null || body.rules() == null || body.rules().contains(null)) {
      throw StorageErrors.invalidRequest("rules is required, a list of rule objects");
    }
    for (Rule rule : body.rules()) {
      if (hasNull(rule.allowedOrigins())
          || hasNull(rule.allowedMethods())
          || hasNull(rule.allowedHeaders())
          || hasNull(rule.exposeHeaders())) {
        throw StorageErrors.invalidRequest("A rule's lists hold strings, not null");
      }
    }
    return new CorsConfiguration(body.rules().stream().map(Rule::toDomain).toList());
  }

  private static Configuration fromDomain(CorsConfiguration configuration) {
    return new Configuration(configuration.rules().stream().map(Rule::of).toList());
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static boolean hasNull(List<String> values) {
    return values != null && values.contains(null);
  }
}
