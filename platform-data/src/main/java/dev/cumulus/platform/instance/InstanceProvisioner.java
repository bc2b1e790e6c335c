package dev.cumulus.platform.instance;

import reactor.core.publisher.Mono;

/**
 * What a service does when one of its instances is created or deleted: create its database, topics
 * or directories, and remove them again. A service that needs nothing of the kind declares no bean;
 * the registry then makes new instances ready at once.
 *
 * <p>Both run inside the transaction that records the event as handled, on the service's own
 * database: if one fails, the registry reports {@code instance.failed} (create) or the event is
 * delivered again (delete). Both must be idempotent.
 */
public interface InstanceProvisioner {

  /** Makes a new instance ready to serve. */
  Mono<Void> provision(Instance instance);

  /** Removes a deleted instance's data. */
  Mono<Void> deprovision(Instance instance);
}
