package dev.cumulus.storage.object.domain;

/**
 * What a ListObjectVersions call asks for.
 *
 * @param keyMarker start after this key ("" for the start); with {@code versionIdMarker}, after
 *     that version of it instead
 * @param maxKeys at most this many versions, delete markers and common prefixes together
 */
public record VersionQuery(
    String prefix, String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {

  public VersionQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null ? "" : delimiter;
    keyMarker = keyMarker == null ? "" : keyMarker;
    versionIdMarker =
        versionIdMarker == null || versionIdMarker.isEmpty() || keyMarker.isEmpty()
            ? null
            : versionIdMarker;
  }
}
