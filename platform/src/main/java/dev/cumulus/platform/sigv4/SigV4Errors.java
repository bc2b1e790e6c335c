package dev.cumulus.platform.sigv4;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;

/**
 * SigV4 failures carry S3's error codes ({@code SignatureDoesNotMatch}, {@code InvalidAccessKeyId},
 * {@code AuthorizationHeaderMalformed}, {@code RequestTimeTooSkewed}, {@code AccessDenied}, {@code
 * InvalidRequest}, ...), which S3 answers as they are; another AWS protocol maps a code to its own
 * (e.g. SQS's {@code InvalidClientTokenId} for {@code InvalidAccessKeyId}).
 */
final class SigV4Errors {

  private SigV4Errors() {}

  static ApiException of(ErrorKind kind, String code, String message, String details) {
    return new ApiException(kind, message, code, details, Map.of(), null);
  }
}
