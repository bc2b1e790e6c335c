package dev.cumulus.storage.sharelink.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SignedRequest;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.config.StorageProperties;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.domain.ObjectKeys;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Share links: presigned S3 GET URLs of an object, signed here with the signing key auth-service
 * derives for one of the instance's access keys (the secret itself never leaves auth-service), so
 * that browsers hold no secret. The link is verified like any presigned URL by the S3 endpoint
 * (platform's SigV4Authenticator): the same canonical request, path with the mount prefix, and
 * {@code host} as the only signed header.
 */
@Service
public class ShareLinks {

  public static final Duration DEFAULT_EXPIRY = Duration.ofHours(1);

  /** S3's limit for presigned URLs, which the S3 endpoint enforces too. */
  public static final Duration MAX_EXPIRY = SignedRequest.MAX_PRESIGNED_EXPIRY;

  private static final String SERVICE = "s3";

  private final SigningKeys keys;
  private final ObjectReader reader;
  private final String pathPrefix;
  private final String region;
  private final Clock clock;

  public ShareLinks(SigningKeys keys, ObjectReader reader, StorageProperties properties) {
    this.keys = keys;
    this.reader = reader;
    this.pathPrefix = properties.s3().pathPrefix();
    this.region = properties.s3().region();
    this.clock = Clock.systemUTC();
  }

  /**
   * @param url the presigned GET URL
   * @param accessKeyId the access key it is signed with (revoking it ends the link early)
   * @param expiresAt when the S3 endpoint stops accepting it
   */
  public record ShareLink(String url, String accessKeyId, Instant expiresAt) {}

  /**
   * A link to the object as it is now, for {@code expiresIn} (null: {@link #DEFAULT_EXPIRY}).
   *
   * @param origin where clients reach the S3 endpoint ({@code scheme://host[:port]})
   */
  public Mono<ShareLink> create(
      Instance instance,
      String bucket,
      String key,
      String accessKeyId,
      Duration expiresIn,
      URI origin) {
    Duration expiry = expiresIn == null ? DEFAULT_EXPIRY : expiresIn;
    if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
      return Mono.error(
          invalidArgument(
              "expiresInSeconds must be between 1 and " + MAX_EXPIRY.toSeconds() + " (7 days)"));
    }
    if (key == null || ObjectKeys.violation(key).isPresent()) {
      return Mono.error(
          invalidArgument(key == null ? "key is required" : ObjectKeys.violation(key).get()));
    }
    if (accessKeyId == null || accessKeyId.isBlank()) {
      return Mono.error(
          invalidArgument(
              "accessKeyId is required: one of the instance's access keys (create one with POST"
                  + " /api/services/{serviceId}/s3-credentials)"));
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String amzDate = SignedRequest.AMZ_DATE.format(now);
    String day = amzDate.substring(0, 8);
    return reader
        .head(instance, bucket, key)
        .then(keyOfInstance(instance, accessKeyId, day))
        .map(
            grant -> {
              String url = sign(grant, bucket, key, expiry, origin, amzDate, day);
              return new ShareLink(url, grant.accessKeyId(), now.plus(expiry));
            });
  }

  /** The key's grant; a key auth-service does not know or of another instance is the caller's. */
  private Mono<SigningKeys.Grant> keyOfInstance(Instance instance, String accessKeyId, String day) {
    ApiException notOurs =
        invalidArgument("accessKeyId '" + accessKeyId + "' is not an access key of this instance");
    return keys.find(accessKeyId, day, region, SERVICE)
        .onErrorMap(ApiException.class, e -> "InvalidAccessKeyId".equals(e.code()) ? notOurs : e)
        .flatMap(
            grant ->
                instance.tenantId().equals(grant.tenantId())
                        && instance.serviceId().equals(grant.serviceId())
                    ? Mono.just(grant)
                    : Mono.error(notOurs));
  }

  private String sign(
      SigningKeys.Grant grant,
      String bucket,
      String key,
      Duration expiry,
      URI origin,
      String amzDate,
      String day) {
    String scope = day + "/" + region + "/" + SERVICE + "/aws4_request";
    String path = pathPrefix + "/" + bucket + "/" + key;
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("X-Amz-Algorithm", List.of(SigV4.ALGORITHM));
    query.put("X-Amz-Credential", List.of(grant.accessKeyId() + "/" + scope));
    query.put("X-Amz-Date", List.of(amzDate));
    query.put("X-Amz-Expires", List.of(Long.toString(expiry.toSeconds())));
    query.put("X-Amz-SignedHeaders", List.of("host"));
    String canonical =
        SigV4.canonicalRequest(
            "GET",
            path,
            query,
            List.of("host"),
            Map.of("host", List.of(hostHeader(origin))),
            SigV4.UNSIGNED_PAYLOAD);
    String signature =
        SigV4.sign(grant.signingKey(), SigV4.stringToSign(amzDate, scope, canonical));
    // The names are sorted already: the URL's query is the canonical one plus the signature.
    String queryString =
        query.entrySet().stream()
            .map(e -> e.getKey() + "=" + SigV4.uriEncode(e.getValue().get(0), true))
            .collect(Collectors.joining("&"));
    return origin.getScheme()
        + "://"
        + hostHeader(origin)
        + SigV4.uriEncode(path, false)
        + "?"
        + queryString
        + "&X-Amz-Signature="
        + signature;
  }

  /** The Host header clients send for the origin: the port only when it is not the default. */
  static String hostHeader(URI origin) {
    int port = origin.getPort();
    boolean defaultPort =
        port == -1
            || (port == 80 && "http".equalsIgnoreCase(origin.getScheme()))
            || (port == 443 && "https".equalsIgnoreCase(origin.getScheme()));
    return defaultPort ? origin.getHost() : origin.getHost() + ":" + port;
  }

  private static ApiException invalidArgument(String details) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST, "InvalidArgument", "The share link request is invalid", details);
  }
}
