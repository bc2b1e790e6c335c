package dev.cumulus.storage.bucket.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/** Amazon S3's general-purpose bucket naming rules. */
public final class BucketNames {

  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private BucketNames() {}

  /** Why the name breaks the rules, or empty when it is valid. */
  public static Optional<String> violation(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("Bucket name is required");
    }
    if (name.length() < 3 || name.length() > 63) {
      return Optional.of("Bucket name must be between 3 and 63 characters long");
    }
    if (!SHAPE.matcher(name).matches()) {
      return Optional.of(
          "Bucket name may contain only lowercase letters, digits, dots and hyphens, and must"
              + " begin and end with a letter or digit");
    }
    if (name.contains("..")) {
      return Optional.of("Bucket name must not contain two adjacent periods");
    }
    if (IP.matcher(name).matches()) {
      return Optional.of("Bucket name must not be formatted as an IP address");
    }
    if (name.startsWith("xn--") || name.startsWith("sthree-") || name.startsWith("amzn-s3-demo-")) {
      return Optional.of("Bucket name must not start with a reserved prefix");
    }
    if (name.endsWith("-s3alias")
        || name.endsWith("--ol-s3")
        || name.endsWith(".mrap")
        || name.endsWith("--x-s3")
        || name.endsWith("--table-s3")) {
      return Optional.of("Bucket name must not end with a reserved suffix");
    }
    return Optional.empty();
  }
}
