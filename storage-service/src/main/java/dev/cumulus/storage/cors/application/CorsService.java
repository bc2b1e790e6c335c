package dev.cumulus.storage.cors.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.cors.domain.CorsConfiguration;
import dev.cumulus.storage.cors.domain.CorsRule;
import dev.cumulus.storage.cors.persistence.CorsRepository;
import dev.cumulus.storage.instance.domain.StorageInstance;
import dev.cumulus.storage.support.StorageErrors;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** A bucket's CORS configuration (S3's Put/Get/DeleteBucketCors) and the rule a request gets. */
@Service
public class CorsService {

  private final BucketService buckets;
  private final CorsRepository configurations;

  public CorsService(BucketService buckets, CorsRepository configurations) {
    this.buckets = buckets;
    this.configurations = configurations;
  }

  public Mono<Void> put(
      StorageInstance instance, String bucketName, CorsConfiguration configuration) {
    var violation = configuration.violation();
    if (violation.isPresent()) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST, "InvalidRequest", violation.get(), "CORSConfiguration"));
    }
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.save(bucket.id(), configuration));
  }

  /** The bucket's rules; NoSuchCORSConfiguration when it has none. */
  public Mono<CorsConfiguration> get(StorageInstance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.find(bucket.id()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    StorageErrors.of(
                        ErrorKind.NOT_FOUND,
                        "NoSuchCORSConfiguration",
                        "The CORS configuration does not exist",
                        "Bucket '" + bucketName + "' has no CORS configuration")));
  }

  public Mono<Void> delete(StorageInstance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.delete(bucket.id()))
        .then();
  }

  /** Whether any bucket of this name has rules, and the first rule allowing the preflight. */
  public Mono<Preflight> preflight(
      String bucketName, String origin, String method, List<String> requestHeaders) {
    return configurations
        .findByBucketName(bucketName)
        .collectList()
        .map(
            found ->
                new Preflight(
                    !found.isEmpty(),
                    found.stream()
                        .flatMap(c -> c.matchPreflight(origin, method, requestHeaders).stream())
                        .findFirst()
                        .orElse(null)));
  }

  /**
   * The rule of an actual request: by the instance when the request was authenticated, else (a
   * request refused before that) by bucket name alone, like a preflight.
   */
  public Mono<CorsRule> ruleFor(
      StorageInstance instance, String bucketName, String origin, String method) {
    var found =
        instance != null
            ? configurations.find(instance.serviceId(), bucketName).flux()
            : configurations.findByBucketName(bucketName);
    return found.concatMap(c -> Mono.justOrEmpty(c.matchActual(origin, method))).next();
  }

  /**
   * @param configured whether CORS is configured for the bucket at all
   * @param rule the first rule allowing the request, or null
   */
  public record Preflight(boolean configured, CorsRule rule) {}
}
