package dev.cumulus.auth.apikey.domain;

import dev.cumulus.auth.session.domain.Secrets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ck_<8-char prefix>_<32-char secret>} (docs/identity.md "API keys"). */
public final class ApiKeyFormat {

  private static final Pattern KEY = Pattern.compile("ck_([a-z0-9]{8})_([A-Za-z0-9]{32})");

  private ApiKeyFormat() {}

  /** A new key and its prefix. */
  public record NewKey(String key, String prefix) {}

  public static NewKey generate() {
    String prefix = Secrets.lowerAlphanumeric(8);
    // 32 characters of 62: about 190 bits.
    return new NewKey("ck_" + prefix + "_" + Secrets.alphanumeric(32), prefix);
  }

  /** The prefix of a well-formed key. */
  public static Optional<String> prefixOf(String key) {
    if (key == null) {
      return Optional.empty();
    }
    Matcher m = KEY.matcher(key.trim());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
