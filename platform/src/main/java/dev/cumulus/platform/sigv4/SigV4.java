package dev.cumulus.platform.sigv4;

import dev.cumulus.platform.security.SigV4Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * AWS Signature Version 4 arithmetic: canonical request, string to sign, HMAC chain. Pure
 * functions, no I/O; see AWS's "Create a signed AWS API request" for the rules implemented here.
 */
public final class SigV4 {

  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");

  private SigV4() {}

  /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
  public static byte[] signingKey(String secret, String date, String region, String service) {
    return SigV4Keys.signingKey(secret, date, region, service);
  }

  /**
   * The canonical request: method, canonical URI, canonical query, canonical headers, signed header
   * names and the payload hash, one per line.
   *
   * @param decodedPath the request path, percent-decoded (it is re-encoded by AWS's rules here, so
   *     clients that escape more or fewer characters than AWS still verify)
   * @param query decoded query parameters (the presigned signature itself excluded)
   * @param headers lower-case header name to its values, for the signed headers
   */
  public static String canonicalRequest(
      String method,
      String decodedPath,
      Map<String, List<String>> query,
      List<String> signedHeaders,
      Map<String, List<String>> headers,
      String payloadHash) {
    StringBuilder canonical = new StringBuilder(256);
    canonical.append(method).append('\n');
    canonical.append(uriEncode(decodedPath.isEmpty() ? "/" : decodedPath, false)).append('\n');
    canonical.append(canonicalQuery(query)).append('\n');
    for (String name : signedHeaders) {
      canonical.append(name).append(':');
      List<String> values = headers.getOrDefault(name, List.of());
      canonical.append(
          values.stream().map(SigV4::trimHeaderValue).collect(Collectors.joining(",")));
      canonical.append('\n');
    }
    canonical.append('\n');
    canonical.append(String.join(";", signedHeaders)).append('\n');
    canonical.append(payloadHash);
    return canonical.toString();
  }

  public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
    return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
  }

  /** The string a chunk signature of an {@code aws-chunked} body signs. */
  public static String chunkStringToSign(
      String amzDate, String scope, String previousSignature, String chunkSha256Hex) {
    return ALGORITHM
        + "-PAYLOAD\n"
        + amzDate
        + '\n'
        + scope
        + '\n'
        + previousSignature
        + '\n'
        + EMPTY_SHA256
        + '\n'
        + chunkSha256Hex;
  }

  /** The string the trailer signature of an {@code aws-chunked} body signs. */
  public static String trailerStringToSign(
      String amzDate, String scope, String previousSignature, String trailerSha256Hex) {
    return ALGORITHM
        + "-TRAILER\n"
        + amzDate
        + '\n'
        + scope
        + '\n'
        + previousSignature
        + '\n'
        + trailerSha256Hex;
  }

  public static String sign(byte[] signingKey, String stringToSign) {
    return HEX.formatHex(SigV4Keys.hmacSha256(signingKey, stringToSign));
  }

  /** Compares signatures in constant time. */
  public static boolean matches(String expected, String actual) {
    return actual != null
        && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            actual.getBytes(StandardCharsets.US_ASCII));
  }

  public static String sha256Hex(String text) {
    return HEX.formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * Whether the value looks like a signature or SHA-256 as SigV4 writes them: 64 lowercase hex
   * digits. (Checked on every signed PUT: {@code String.matches} would compile a regex each time.)
   */
  public static boolean isLowerHex64(String value) {
    if (value == null || value.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = value.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  static String canonicalQuery(Map<String, List<String>> query) {
    // Sorted by encoded name, then by encoded value.
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    query.forEach(
        (name, values) ->
            sorted.put(
                uriEncode(name, true),
                values.stream().map(v -> uriEncode(v == null ? "" : v, true)).sorted().toList()));
    return sorted.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> e.getKey() + "=" + v))
        .collect(Collectors.joining("&"));
  }

  /**
   * Percent-encodes everything but {@code A-Z a-z 0-9 - _ . ~} (and {@code /} in paths), as AWS
   * specifies: upper-case hex, UTF-8 bytes.
   */
  public static String uriEncode(String text, boolean encodeSlash) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Trimmed, inner runs of whitespace as one space (most values have none: no regex then). */
  private static String trimHeaderValue(String value) {
    String stripped = value.strip();
    for (int i = 0; i < stripped.length(); i++) {
      char c = stripped.charAt(i);
      if (Character.isWhitespace(c)
          && (c != ' ' || Character.isWhitespace(stripped.charAt(i + 1)))) {
        return WHITESPACE_RUN.matcher(stripped).replaceAll(" ");
      }
    }
    return stripped;
  }
}
