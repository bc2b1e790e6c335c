package dev.cumulus.storage.s3.web;

import java.nio.charset.StandardCharsets;
import org.springframework.web.util.UriUtils;

/**
 * A path-style S3 request path under the endpoint's prefix: {@code <prefix>/<bucket>/<key>}, or, in
 * an instance's own namespace, {@code <prefix>/i/<tenantId>/<serviceId>/<bucket>/<key>}: the form a
 * request not signed by the bucket's instance (anonymous, or another instance's key) names its
 * bucket with, bucket names being unique per instance only. {@code i} is no bucket name (too
 * short), so the two forms cannot be confused.
 *
 * @param decoded the whole path, percent-decoded (what SigV4 signs)
 * @param tenantId the namespace's tenant, null for the plain form
 * @param serviceId the namespace's instance, null for the plain form
 * @param bucket the bucket, null for the service itself ({@code <prefix>} or {@code <prefix>/})
 * @param key the object key, null for the bucket itself
 */
record S3Path(String decoded, String tenantId, String serviceId, String bucket, String key) {

  static final String NAMESPACE = "i";

  static S3Path of(String rawPath, String prefix) {
    String path = UriUtils.decode(rawPath, StandardCharsets.UTF_8);
    String rest = path.length() > prefix.length() ? path.substring(prefix.length() + 1) : "";
    String tenantId = null;
    String serviceId = null;
    if (rest.startsWith(NAMESPACE + "/") || rest.equals(NAMESPACE)) {
      String[] parts = rest.split("/", 4);
      tenantId = parts.length > 1 ? parts[1] : "";
      serviceId = parts.length > 2 ? parts[2] : "";
      rest = parts.length > 3 ? parts[3] : "";
    }
    int slash = rest.indexOf('/');
    String bucket = rest.isEmpty() ? null : slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
    return new S3Path(path, tenantId, serviceId, bucket, key);
  }

  /** Whether it names its instance ({@code <prefix>/i/<tenantId>/<serviceId>/...}). */
  boolean namespaced() {
    return serviceId != null;
  }
}
