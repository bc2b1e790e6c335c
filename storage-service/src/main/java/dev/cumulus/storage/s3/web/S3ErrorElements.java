package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An S3 error whose particulars S3 sends as elements of their own next to {@code Code} and {@code
 * Message} ({@code ArgumentName}/{@code ArgumentValue}, {@code ProposedSize}/{@code
 * MaxSizeAllowed}), so clients that read them (boto3's {@code e.response["Error"]}) find them there
 * rather than in a free-form {@code Details}.
 */
final class S3ErrorElements extends ApiException {

  private final Map<String, String> elements;

  private S3ErrorElements(
      ErrorKind kind, String code, String message, Map<String, String> elements) {
    super(kind, message, code, null, Map.of(), null);
    this.elements = Collections.unmodifiableMap(new LinkedHashMap<>(elements));
  }

  /** The elements, in order, each rendered after {@code Message}. */
  Map<String, String> elements() {
    return elements;
  }

  /** {@code InvalidArgument} naming the argument and the value it had ("" when it was missing). */
  static S3ErrorElements invalidArgument(String message, String name, String value) {
    Map<String, String> elements = new LinkedHashMap<>();
    elements.put("ArgumentName", name);
    elements.put("ArgumentValue", value == null ? "" : value);
    return new S3ErrorElements(
        ErrorKind.BAD_REQUEST, S3ErrorCode.INVALID_ARGUMENT.code(), message, elements);
  }

  /** {@code EntityTooLarge}: at least {@code proposed} bytes came, at most {@code max} may. */
  static S3ErrorElements entityTooLarge(long proposed, long max) {
    Map<String, String> elements = new LinkedHashMap<>();
    elements.put("ProposedSize", Long.toString(proposed));
    elements.put("MaxSizeAllowed", Long.toString(max));
    return new S3ErrorElements(
        ErrorKind.BAD_REQUEST,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        elements);
  }

  /** {@code EntityTooSmall}: {@code proposed} bytes came, at least {@code min} must. */
  static S3ErrorElements entityTooSmall(long proposed, long min) {
    Map<String, String> elements = new LinkedHashMap<>();
    elements.put("ProposedSize", Long.toString(proposed));
    elements.put("MinSizeAllowed", Long.toString(min));
    return new S3ErrorElements(
        ErrorKind.BAD_REQUEST,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
        elements);
  }
}
