package dev.cumulus.platform.sigv4;

import dev.cumulus.platform.error.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Verifies a request's SigV4 signature (header or presigned query) against the signing key of its
 * access key, and checks its time (header-signed requests within 15 minutes of now, presigned URLs
 * not past their expiry) and its credential scope: one of the configured regions, and the service
 * of the endpoint. Cumulus mounts each AWS protocol at {@code /<signing name>} ({@code /s3}, {@code
 * /sqs}, {@code /dynamodb}, {@code /lambda}, {@code /rds-data}), so the first path segment names
 * the service a request must be signed for: a signature for SQS is no signature for S3.
 */
public class SigV4Authenticator {

  static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private final SigningKeys keys;
  private final Clock clock;
  private final List<String> regions;

  public SigV4Authenticator(SigningKeys keys, Clock clock, List<String> regions) {
    this.keys = keys;
    this.clock = clock;
    this.regions = List.copyOf(regions);
  }

  /** A verified caller: whose key it is and what it signed (for chunk signatures to follow). */
  public record Authenticated(SigningKeys.Grant grant, SignedRequest signed) {

    public byte[] signingKey() {
      return grant.signingKey();
    }
  }

  /**
   * @param decodedPath the full request path (with any mount prefix), percent-decoded
   * @param query decoded query parameters
   */
  public Mono<Authenticated> authenticate(
      String method, String decodedPath, Map<String, List<String>> query, HttpHeaders headers) {
    SignedRequest signed;
    try {
      signed = parse(query, headers);
      checkScope(signed, decodedPath);
      checkTime(signed);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    Map<String, List<String>> signedQuery = new LinkedHashMap<>(query);
    if (signed.presigned()) {
      signedQuery.remove("X-Amz-Signature");
    }
    Map<String, List<String>> signedHeaders = new LinkedHashMap<>();
    for (String name : signed.signedHeaders()) {
      List<String> values = headers.get(name);
      signedHeaders.put(name.toLowerCase(Locale.ROOT), values == null ? List.of() : values);
    }
    String canonical =
        SigV4.canonicalRequest(
            method,
            decodedPath,
            signedQuery,
            signed.signedHeaders(),
            signedHeaders,
            signed.payloadHash());
    String stringToSign = SigV4.stringToSign(signed.amzDate(), signed.scope(), canonical);
    return keys.find(signed.accessKeyId(), signed.date(), signed.region(), signed.service())
        .flatMap(
            grant -> {
              String expected = SigV4.sign(grant.signingKey(), stringToSign);
              if (!SigV4.matches(expected, signed.signature())) {
                return Mono.error(
                    SigV4Errors.of(
                        ErrorKind.FORBIDDEN,
                        "SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you"
                            + " provided. Check your key and signing method.",
                        "StringToSign: " + stringToSign.replace('\n', '|')));
              }
              return Mono.just(new Authenticated(grant, signed));
            });
  }

  private static SignedRequest parse(Map<String, List<String>> query, HttpHeaders headers) {
    String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      String amzDate = headers.getFirst("x-amz-date");
      return SignedRequest.fromHeader(
          authorization,
          amzDate != null ? amzDate : fromHttpDate(headers),
          headers.getFirst("x-amz-content-sha256"));
    }
    if (query.containsKey("X-Amz-Algorithm")) {
      return SignedRequest.fromQuery(query);
    }
    if (query.containsKey("AWSAccessKeyId")) {
      throw SigV4Errors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequest",
          "The authorization mechanism you have provided is not supported. Please use"
              + " AWS4-HMAC-SHA256.",
          "Signature Version 2 presigned URLs are not supported (awscli: aws configure set"
              + " default.s3.signature_version s3v4)");
    }
    throw SigV4Errors.of(
        ErrorKind.FORBIDDEN,
        "AccessDenied",
        "Access Denied",
        "The request is not signed; use an access key issued for this storage instance");
  }

  /** Clients may sign the {@code Date} header instead of {@code x-amz-date}. */
  private static String fromHttpDate(HttpHeaders headers) {
    long date = headers.getFirstDate(HttpHeaders.DATE);
    return date < 0 ? null : SignedRequest.AMZ_DATE.format(Instant.ofEpochMilli(date));
  }

  private void checkScope(SignedRequest signed, String decodedPath) {
    String code =
        signed.presigned() ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed";
    if (!regions.contains(signed.region())) {
      throw SigV4Errors.of(
          ErrorKind.BAD_REQUEST,
          code,
          "The authorization header is malformed; the region '"
              + signed.region()
              + "' is wrong; expecting '"
              + regions.get(0)
              + "'",
          "Regions served here: " + regions);
    }
    String endpoint = endpointService(decodedPath);
    if (endpoint != null && !endpoint.equals(signed.service())) {
      throw SigV4Errors.of(
          ErrorKind.BAD_REQUEST,
          code,
          "The authorization header is malformed; incorrect service '"
              + signed.service()
              + "'. This endpoint belongs to '"
              + endpoint
              + "'.",
          null);
    }
  }

  /** The first segment of the path: the signing name of the protocol mounted there. */
  static String endpointService(String decodedPath) {
    if (decodedPath == null || !decodedPath.startsWith("/") || decodedPath.length() < 2) {
      return null;
    }
    int end = decodedPath.indexOf('/', 1);
    return end < 0 ? decodedPath.substring(1) : decodedPath.substring(1, end);
  }

  private void checkTime(SignedRequest signed) {
    Instant now = clock.instant();
    Instant at = signed.signedAt();
    if (signed.presigned()) {
      if (now.isAfter(at.plus(signed.expiresIn()))) {
        throw SigV4Errors.of(
            ErrorKind.FORBIDDEN, "AccessDenied", "Request has expired", "X-Amz-Expires passed");
      }
      if (at.isAfter(now.plus(MAX_SKEW))) {
        throw SigV4Errors.of(ErrorKind.FORBIDDEN, "AccessDenied", "Request is not valid yet", null);
      }
    } else if (Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
      throw SigV4Errors.of(
          ErrorKind.FORBIDDEN,
          "RequestTimeTooSkewed",
          "The difference between the request time and the current time is too large.",
          "Request time " + at + ", server time " + now);
    }
  }
}
