package dev.cumulus.integration.webhook.domain;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for an endpoint's own request headers (e.g. an {@code Authorization} its receiver
 * wants). Refused: hop-by-hop headers (they concern one connection, RFC 9110 §7.6.1), the headers
 * the sender owns (the signature headers, which a receiver must be able to trust, and the framing
 * ones), names that are not HTTP tokens and values with control characters (header injection).
 */
public final class CustomHeaders {

  public static final int MAX_HEADERS = 20;
  public static final int MAX_VALUE_LENGTH = 1024;

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private static final Set<String> SENDERS =
      Set.of(
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
          "x-signature",
          "host",
          "content-length",
          "content-type",
          "user-agent");

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
  private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7e\\t]*");

  private CustomHeaders() {}

  /** Why the headers are refused, or null when they are fine. */
  public static String problem(Map<String, String> headers) {
    if (headers.size() > MAX_HEADERS) {
      return "headers: at most " + MAX_HEADERS + " headers";
    }
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      if (name == null || !TOKEN.matcher(name).matches()) {
        return "headers: '" + name + "' is not a valid header name";
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower)) {
        return "headers: " + name + " is a hop-by-hop header";
      }
      if (SENDERS.contains(lower)) {
        return "headers: " + name + " is set by Cumulus";
      }
      if (!seen.add(lower)) {
        return "headers: " + name + " is given twice";
      }
      String value = header.getValue();
      if (value == null || value.length() > MAX_VALUE_LENGTH || !VALUE.matcher(value).matches()) {
        return "headers: the value of "
            + name
            + " must be printable ASCII of at most "
            + MAX_VALUE_LENGTH
            + " characters";
      }
    }
    return null;
  }
}
