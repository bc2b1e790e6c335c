package dev.cumulus.storage.cors.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.application.RecentBucketSettings;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.cors.domain.CorsConfiguration;
import dev.cumulus.storage.cors.domain.CorsRule;
import dev.cumulus.storage.cors.persistence.CorsRepository;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** A bucket's CORS configuration (S3's Put/Get/DeleteBucketCors) and the rule a request gets. */
@Service
public class CorsService {

  /**
   * How long signed requests may see a bucket's rules as they were; this instance's own changes
   * show at once.
   */
  static final Duration RECENT = Duration.ofSeconds(10);

  private final BucketService buckets;
  private final CorsRepository configurations;
  private final RecentBucketSettings<CorsConfiguration> recent;

  public CorsService(BucketService buckets, CorsRepository configurations) {
    this.buckets = buckets;
    this.configurations = configurations;
    this.recent = new RecentBucketSettings<>(RECENT, configurations::find);
  }

  public Mono<Void> put(Instance instance, String bucketName, CorsConfiguration configuration) {
    var violation = configuration.violation();
    if (violation.isPresent()) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST, "InvalidRequest", violation.get(), "CORSConfiguration"));
    }
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.save(bucket.id(), configuration))
        .doOnSuccess(done -> recent.forget(instance, bucketName));
  }

  /** The bucket's rules; NoSuchCORSConfiguration when it has none. */
  public Mono<CorsConfiguration> get(Instance instance, String bucketName) {
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

  public Mono<Void> delete(Instance instance, String bucketName) {
    return buckets
        .require(instance, bucketName)
        .flatMap(bucket -> configurations.delete(bucket.id()))
        .doOnSuccess(done -> recent.forget(instance, bucketName))
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
   * The rule of an actual request: by the instance when the request was authenticated (rules read
   * at most every {@link #RECENT}), else (a request refused before that) by bucket name alone, like
   * a preflight.
   */
  public Mono<CorsRule> ruleFor(
      Instance instance, String bucketName, String origin, String method) {
    var found =
        instance != null
            ? recent.get(instance, bucketName).flux()
            : configurations.findByBucketName(bucketName);
    return found.concatMap(c -> Mono.justOrEmpty(c.matchActual(origin, method))).next();
  }

  /**
   * @param configured whether CORS is configured for the bucket at all
   * @param rule the first rule allowing the request, or null
   */
  public record Preflight(boolean configured, CorsRule rule) {}
}
