package dev.cumulus.platform.sigv4;

import dev.cumulus.platform.error.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a SigV4-signed request claims, read from its {@code Authorization} header or, for a
 * presigned URL, its {@code X-Amz-*} query parameters.
 *
 * @param amzDate the signing time as signed ({@code yyyyMMdd'T'HHmmss'Z'})
 * @param payloadHash the declared payload hash: hex SHA-256, {@code UNSIGNED-PAYLOAD} or a {@code
 *     STREAMING-*} mode
 * @param expiresIn for presigned URLs, how long after {@code amzDate} the URL works; else null
 */
public record SignedRequest(
    String accessKeyId,
    String date,
    String region,
    String service,
    String amzDate,
    List<String> signedHeaders,
    String signature,
    String payloadHash,
    Duration expiresIn) {

  public static final Duration MAX_PRESIGNED_EXPIRY = Duration.ofDays(7);
  public static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** The parts of an {@code Authorization} header, in the order they must appear. */
  private static final List<String> HEADER_PARTS =
      List.of("Credential=", "SignedHeaders=", "Signature=");

  private static final Pattern SCOPE =
      Pattern.compile("([^/]+)/(\\d{8})/([a-z0-9-]{1,32})/([a-z0-9-]{1,32})/aws4_request");

  public String scope() {
    return date + "/" + region + "/" + service + "/aws4_request";
  }

  public boolean presigned() {
    return expiresIn != null;
  }

  public Instant signedAt() {
    return Instant.from(AMZ_DATE.parse(amzDate));
  }

  /** From {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., ...}. */
  public static SignedRequest fromHeader(
      String authorization, String amzDateHeader, String payloadHashHeader) {
    if (authorization.startsWith("AWS ")) {
      throw SigV4Errors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequest",
          "The authorization mechanism you have provided is not supported. Please use"
              + " AWS4-HMAC-SHA256.",
          "Signature Version 2 is not supported");
    }
    List<String> parts = headerParts(authorization);
    if (parts == null) {
      throw malformed("The authorization header is malformed");
    }
    if (payloadHashHeader == null || payloadHashHeader.isBlank()) {
      throw SigV4Errors.of(
          ErrorKind.BAD_REQUEST,
          "InvalidRequest",
          "Missing required header for this request: x-amz-content-sha256",
          null);
    }
    if (amzDateHeader == null) {
      throw SigV4Errors.of(
          ErrorKind.FORBIDDEN,
          "AccessDenied",
          "AWS authentication requires a valid Date or x-amz-date header",
          null);
    }
    return build(parts.get(0), amzDateHeader, parts.get(1), parts.get(2), payloadHashHeader, null);
  }

  /**
   * The Credential, SignedHeaders and Signature values of an Authorization header shaped {@code
   * AWS4-HMAC-SHA256 Credential=<c>, SignedHeaders=<h>, Signature=<64 hex digits>} (whitespace
   * allowed around the commas, none inside values), or null for any other shape. Written out rather
   * than as a regular expression: it runs on every request, and the regex was 3 % of a small GET's
   * CPU.
   */
  static List<String> headerParts(String header) {
    int end = header.length();
    int at = SigV4.ALGORITHM.length();
    if (!header.startsWith(SigV4.ALGORITHM) || at == end || !isSpace(header.charAt(at))) {
      return null;
    }
    String[] values = new String[HEADER_PARTS.size()];
    for (int part = 0; part < values.length; part++) {
      at = skipSpaces(header, at);
      if (part > 0) {
        if (at == end || header.charAt(at) != ',') {
          return null;
        }
        at = skipSpaces(header, at + 1);
      }
      String name = HEADER_PARTS.get(part);
      if (!header.startsWith(name, at)) {
        return null;
      }
      int valueStart = at + name.length();
      at = valueStart;
      while (at < end && header.charAt(at) != ',' && !isSpace(header.charAt(at))) {
        at++;
      }
      if (at == valueStart) {
        return null;
      }
      values[part] = header.substring(valueStart, at);
    }
    boolean onlySpacesLeft = skipSpaces(header, at) == end;
    return onlySpacesLeft && SigV4.isLowerHex64(values[2]) ? List.of(values) : null;
  }

  private static int skipSpaces(String text, int from) {
    while (from < text.length() && isSpace(text.charAt(from))) {
      from++;
    }
    return from;
  }

  /** What {@code \s} matches in a Java regular expression. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == (char) 0x0B || c == '\f' || c == '\r';
  }

  /** From a presigned URL's query ({@code X-Amz-Algorithm=AWS4-HMAC-SHA256&...}). */
  public static SignedRequest fromQuery(Map<String, List<String>> query) {
    if (!SigV4.ALGORITHM.equals(first(query, "X-Amz-Algorithm"))) {
      throw malformed("X-Amz-Algorithm must be AWS4-HMAC-SHA256");
    }
    String expires = first(query, "X-Amz-Expires");
    Duration expiresIn;
    try {
      expiresIn = Duration.ofSeconds(Long.parseLong(expires));
    } catch (RuntimeException e) {
      throw malformed("X-Amz-Expires must be a number of seconds");
    }
    if (expiresIn.isNegative() || expiresIn.compareTo(MAX_PRESIGNED_EXPIRY) > 0) {
      throw SigV4Errors.of(
          ErrorKind.BAD_REQUEST,
          "AuthorizationQueryParametersError",
          "X-Amz-Expires must be less than a week (in seconds) that is 604800",
          null);
    }
    String signature = first(query, "X-Amz-Signature");
    if (!SigV4.isLowerHex64(signature)) {
      throw malformed("X-Amz-Signature is missing or malformed");
    }
    String payload = first(query, "X-Amz-Content-Sha256");
    return build(
        first(query, "X-Amz-Credential"),
        first(query, "X-Amz-Date"),
        first(query, "X-Amz-SignedHeaders"),
        signature,
        payload == null ? SigV4.UNSIGNED_PAYLOAD : payload,
        expiresIn);
  }

  private static SignedRequest build(
      String credential,
      String amzDate,
      String signedHeaders,
      String signature,
      String payloadHash,
      Duration expiresIn) {
    Matcher scope = credential == null ? null : SCOPE.matcher(credential);
    if (scope == null || !scope.matches()) {
      throw malformed(
          "The credential is malformed; expecting \"<key>/YYYYMMDD/REGION/SERVICE/aws4_request\"");
    }
    if (amzDate == null) {
      throw malformed("X-Amz-Date is missing");
    }
    try {
      AMZ_DATE.parse(amzDate);
    } catch (DateTimeParseException e) {
      throw malformed("X-Amz-Date must look like 20130524T000000Z");
    }
    if (!amzDate.startsWith(scope.group(2))) {
      throw malformed("The credential date does not match X-Amz-Date");
    }
    if (signedHeaders == null || signedHeaders.isBlank()) {
      throw malformed("SignedHeaders is missing");
    }
    List<String> headers = Arrays.asList(signedHeaders.split(";"));
    if (!headers.contains("host")) {
      throw malformed("The host header must be signed");
    }
    return new SignedRequest(
        scope.group(1),
        scope.group(2),
        scope.group(3),
        scope.group(4),
        amzDate,
        List.copyOf(headers),
        signature,
        payloadHash,
        expiresIn);
  }

  private static String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static RuntimeException malformed(String details) {
    return SigV4Errors.of(
        ErrorKind.BAD_REQUEST,
        "AuthorizationHeaderMalformed",
        "The authorization header is malformed",
        details);
  }
}
