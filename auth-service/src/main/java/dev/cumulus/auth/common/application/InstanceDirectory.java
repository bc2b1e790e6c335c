package dev.cumulus.auth.common.application;

import dev.cumulus.auth.common.domain.InstanceRef;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Looks up service instances for the features whose credentials belong to one (apikey,
 * s3credential). The instance feature implements it: it creates and deletes those credentials with
 * its instances, so they may not call it back.
 */
public interface InstanceDirectory {

  /** The tenant's instance with this id; empty when there is none, or it is another tenant's. */
  Mono<InstanceRef> findInTenant(String tenantId, UUID id);
}
