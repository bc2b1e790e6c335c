package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.common.StorageErrors;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The Content-Type an object is stored with. Checked when the object is written, because it is sent
 * back on every read: one stored that no client can parse would break that object for good.
 */
public final class ContentTypes {

  public static final String DEFAULT = "application/octet-stream";
  private static final int MAX_LENGTH = 255;

  private ContentTypes() {}

  /** The type to store: the default when none is given; 400 InvalidArgument when it is not one. */
  public static String forStorage(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return DEFAULT;
    }
    String type = contentType.strip();
    try {
      if (type.length() > MAX_LENGTH || MediaType.parseMediaType(type).isWildcardType()) {
        throw invalid(type);
      }
      return type;
    } catch (InvalidMediaTypeException e) {
      throw invalid(type);
    }
  }

  /** What to send for a stored type; objects stored before it was checked fall back. */
  public static MediaType forReading(String stored) {
    try {
      return MediaType.parseMediaType(stored);
    } catch (IllegalArgumentException e) { // InvalidMediaTypeException among them
      return MediaType.APPLICATION_OCTET_STREAM;
    }
  }

  private static RuntimeException invalid(String type) {
    String shown = type.length() > 64 ? type.substring(0, 64) + "..." : type;
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "InvalidArgument",
        "Invalid Content-Type: expected type/subtype",
        "Content-Type '" + shown + "' is not a media type");
  }
}
