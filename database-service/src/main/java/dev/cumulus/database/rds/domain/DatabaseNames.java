package dev.cumulus.database.rds.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The database and role of an instance, derived from its service id: {@code rds_} + the id in lower
 * case with other characters as {@code _} (at most 48) + 8 hex digits of its SHA-256, so two ids
 * that read alike never share a name and every name fits PostgreSQL's 63 bytes.
 */
public final class DatabaseNames {

  public static final String PREFIX = "rds_";

  private DatabaseNames() {}

  public static String of(String serviceId) {
    String readable = serviceId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    if (readable.length() > 48) {
      readable = readable.substring(0, 48);
    }
    return PREFIX + readable + "_" + hash(serviceId).substring(0, 8);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
