package dev.cumulus.storage.object.application;

/**
 * What a delete did.
 *
 * @param existed whether a current object (or, by version id, that version) was there
 * @param versionId the version removed or the delete marker written; null when not versioned
 * @param deleteMarker whether that version is a delete marker
 */
public record Deletion(boolean existed, String versionId, boolean deleteMarker) {}
