package dev.cumulus.storage.blob.domain;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A blob's path, {@code <namespace>/<uuid>}: fresh for every write, never reused, so a blob is
 * never overwritten in place and a reader never sees half of one.
 */
public final class BlobPaths {

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern PATH =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

  private BlobPaths() {}

  /** The namespace, checked: it becomes a directory or key segment. */
  public static String namespace(String namespace) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("Not a valid blob namespace: " + namespace);
    }
    return namespace;
  }

  /** A new path in the namespace. */
  public static String fresh(String namespace) {
    return namespace(namespace) + "/" + UUID.randomUUID();
  }

  /** Whether {@code path} has the form of a path {@link #fresh} made. */
  public static boolean isBlobPath(String path) {
    return path != null && PATH.matcher(path).matches();
  }
}
