package dev.cumulus.function.containers.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A seed 001 container function: {@code replicas} copies of a container image kept running in the
 * tenant's namespace.
 *
 * @param userId who created it (the token's user name)
 * @param command the container command override, or null for the image's own
 * @param resources CPU and memory limits per replica, or null for the service's defaults
 * @param stopped stopped by its owner: no replica runs until it is started again
 * @param status {@link Status}'s names, as the seed spells them
 * @param statusMessage why the function is not running (an image that cannot be pulled), or null
 * @param restarts replicas replaced after they exited on their own
 * @param crashLoop the back-off of replicas that keep exiting on their own
 */
public record ContainerFunction(
    UUID id,
    String tenantId,
    String userId,
    String name,
    String image,
    int replicas,
    List<String> command,
    Map<String, String> env,
    Resources resources,
    boolean stopped,
    String status,
    String statusMessage,
    int availableReplicas,
    int restarts,
    CrashLoop crashLoop,
    Instant createdAt,
    Instant updatedAt,
    RegistryCredentials registryCredentials) {

  /** The namespace of a tenant: its id, as auth-service's {@code /auth/token} names it. */
  public String namespace() {
    return tenantId;
  }

  /** The states a function goes through, spelled as the seed shows them. */
  public enum Status {
    /** Not every replica runs yet. */
    Pending,
    /** Every replica runs. */
    Running,
    /** Stopped by its owner. */
    Stopped,
    /** Its replicas cannot be started (an image that cannot be pulled, a command that fails). */
    Failed
  }
}
