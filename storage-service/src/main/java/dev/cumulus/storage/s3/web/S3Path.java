package dev.cumulus.storage.s3.web;

import java.nio.charset.StandardCharsets;
import org.springframework.web.util.UriUtils;

/**
 * A path-style S3 request path under the endpoint's prefix: {@code <prefix>/<bucket>/<key>}.
 *
 * @param decoded the whole path, percent-decoded (what SigV4 signs)
 * @param bucket the bucket, null for the service itself ({@code <prefix>} or {@code <prefix>/})
 * @param key the object key, null for the bucket itself
 */
record S3Path(String decoded, String bucket, String key) {

  static S3Path of(String rawPath, String prefix) {
    String path = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
    String rest = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
    int slash = rest.indexOf('/');
    String bucket = rest.isEmpty() ? null : slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
    return new S3Path(path, bucket, key);
  }
}
