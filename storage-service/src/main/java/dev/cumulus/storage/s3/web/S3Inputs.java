package dev.cumulus.storage.s3.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriUtils;

/**
 * Input no S3 operation can take, refused before any handler sees it: a NUL character in a query
 * parameter or in {@code x-amz-copy-source}. No key, version id or upload id holds one (keys are
 * refused with it, PostgreSQL's text cannot store it), so no such request can name anything; and
 * the value could reach neither the database (which rejects it) nor an XML answer (XML 1.0 cannot
 * carry it).
 */
final class S3Inputs {

  private S3Inputs() {}

  /**
   * @throws dev.cumulus.platform.error.ApiException {@code InvalidArgument} naming the parameter
   */
  static void check(S3Request request) {
    for (Map.Entry<String, List<String>> parameter : request.query().entrySet()) {
      if (hasNul(parameter.getKey()) || parameter.getValue().stream().anyMatch(S3Inputs::hasNul)) {
        throw nul(parameter.getKey().replace("\0", "\\0"));
      }
    }
    String copySource = request.header(S3ObjectOperations.COPY_SOURCE);
    if (copySource != null && hasNul(UriUtils.decode(copySource, StandardCharsets.UTF_8))) {
      throw nul(S3ObjectOperations.COPY_SOURCE);
    }
  }

  private static boolean hasNul(String value) {
    return value != null && value.indexOf('\0') >= 0;
  }

  private static RuntimeException nul(String name) {
    return S3ErrorCode.INVALID_ARGUMENT.error(name + " must not contain a NUL character", name);
  }
}
