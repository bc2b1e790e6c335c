package dev.cumulus.updater.image.application;

/**
 * The outcome of checking one image against its registry.
 *
 * @param currentDigest the digest the tenant's containers (or the local image) run, null if none
 * @param latestDigest what the registry's tag points at now (the host platform's manifest for a
 *     multi-arch index), null when the check failed
 * @param error why the check failed, else null
 */
public record ImageCheck(
    String image,
    String currentDigest,
    String latestDigest,
    boolean updateAvailable,
    Integer rateLimitRemaining,
    String error) {}
