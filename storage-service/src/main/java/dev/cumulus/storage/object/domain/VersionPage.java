package dev.cumulus.storage.object.domain;

import java.util.List;

/**
 * One page of ListObjectVersions: versions and delete markers, each key's newest first, and common
 * prefixes. When truncated, the next page starts after {@code nextKeyMarker} (and, when set, after
 * {@code nextVersionIdMarker} of it).
 */
public record VersionPage(
    List<StoredObject> versions,
    List<String> commonPrefixes,
    boolean truncated,
    String nextKeyMarker,
    String nextVersionIdMarker) {}
