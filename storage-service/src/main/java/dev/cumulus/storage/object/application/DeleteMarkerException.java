package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/**
 * A read hit a delete marker: S3 answers 404 NoSuchKey when it is the key's latest version, 405
 * MethodNotAllowed when it was asked for by version id, and in both cases names the marker (the S3
 * adapter turns {@link #versionId} into headers).
 */
public final class DeleteMarkerException extends ApiException {

  private final String versionId;

  private DeleteMarkerException(
      ErrorKind kind, String code, String message, String details, String versionId) {
    super(kind, message, code, details, Map.of(), null);
    this.versionId = versionId;
  }

  static DeleteMarkerException latest(String key, String versionId) {
    return new DeleteMarkerException(
        ErrorKind.NOT_FOUND,
        "NoSuchKey",
        "The specified key does not exist",
        "Object '" + key + "' not found",
        versionId);
  }

  static DeleteMarkerException byVersion(String key, String versionId) {
    return new DeleteMarkerException(
        ErrorKind.METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        "Version " + versionId + " of '" + key + "' is a delete marker",
        versionId);
  }

  /** The marker's version id; null in a bucket that was never versioned. */
  public String versionId() {
    return versionId;
  }
}
