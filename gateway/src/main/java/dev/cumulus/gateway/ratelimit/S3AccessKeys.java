package dev.cumulus.gateway.ratelimit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The access key id an S3 request names, read without verifying anything (storage does). */
final class S3AccessKeys {

  private static final Pattern HEADER = Pattern.compile("Credential=([A-Za-z0-9]{1,128})/");
  private static final Pattern QUERY = Pattern.compile("^([A-Za-z0-9]{1,128})/");

  private S3AccessKeys() {}

  static String claimedKeyId(ServerHttpRequest request) {
    String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      Matcher m = HEADER.matcher(authorization);
      return m.find() ? m.group(1) : null;
    }
    String credential = request.getQueryParams().getFirst("X-Amz-Credential");
    if (credential != null) {
      Matcher m = QUERY.matcher(credential.replace("%2F", "/"));
      return m.find() ? m.group(1) : null;
    }
    return null;
  }
}
