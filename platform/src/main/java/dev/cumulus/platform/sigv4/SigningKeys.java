package dev.cumulus.platform.sigv4;

import reactor.core.publisher.Mono;

/**
 * Where SigV4 signing keys come from. The secret of an access key stays in auth-service; this
 * service only ever sees the key derived for one day, region and service.
 */
public interface SigningKeys {

  /** Who an access key belongs to, and its signing key for one scope. */
  record Grant(String accessKeyId, String tenantId, String serviceId, byte[] signingKey) {}

  /** The grant; an error with code {@code InvalidAccessKeyId} when the key is unknown. */
  Mono<Grant> find(String accessKeyId, String date, String region, String service);
}
