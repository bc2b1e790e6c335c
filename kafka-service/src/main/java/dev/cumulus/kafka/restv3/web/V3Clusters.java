package dev.cumulus.kafka.restv3.web;

import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.InstanceAccess;
import dev.cumulus.platform.security.CumulusPrincipal;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A v3 "cluster" is a kafka instance the caller's tenant owns; its topics' names on the broker. */
@Component
class V3Clusters {

  private final InstanceAccess access;

  V3Clusters(InstanceAccess access) {
    this.access = access;
  }

  /** The caller's instance {@code clusterId}; 404 (40403) when it is not the caller's. */
  Mono<TopicNames> names(String clusterId) {
    return CumulusPrincipal.current()
        .flatMap(principal -> access.require(principal.tenantId(), clusterId))
        .map(instance -> new TopicNames(instance.tenantId(), instance.serviceId()))
        .onErrorMap(
            e -> e instanceof ApiException api && api.kind() == ErrorKind.NOT_FOUND,
            e ->
                KafkaErrors.of(
                    ErrorKind.NOT_FOUND,
                    "InstanceNotFound",
                    "Cluster " + clusterId + " not found"));
  }
}
