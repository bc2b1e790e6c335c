package dev.cumulus.updater.registry.domain;

/**
 * What a registry says a tag points at now.
 *
 * @param digest the manifest (or index) digest from {@code Docker-Content-Digest}
 * @param mediaType what the tag names: an OCI index or Docker manifest list for multi-arch images
 * @param platformDigest for an index: the digest of the host platform's manifest, else null
 * @param rateLimitRemaining the registry's {@code RateLimit-Remaining}, or null when not sent
 */
public record RemoteDigest(
    String digest, String mediaType, String platformDigest, Integer rateLimitRemaining) {

  /** Whether a local image with these repo digests already is what the tag points at. */
  public boolean matches(String localDigest) {
    return localDigest != null
        && (localDigest.equals(digest) || localDigest.equals(platformDigest));
  }
}
