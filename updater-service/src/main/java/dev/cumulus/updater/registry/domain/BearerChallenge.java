package dev.cumulus.updater.registry.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's {@code WWW-Authenticate: Bearer realm="...",service="...",scope="..."} challenge:
 * where to get a token, for which service and scope (Docker's token authentication specification).
 */
public record BearerChallenge(String realm, String service, String scope) {

  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  /** The challenge, or null when the header is not a Bearer challenge. */
  public static BearerChallenge parse(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(header.substring(7));
    while (m.find()) {
      params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    return realm == null
        ? null
        : new BearerChallenge(realm, params.get("service"), params.get("scope"));
  }
}
