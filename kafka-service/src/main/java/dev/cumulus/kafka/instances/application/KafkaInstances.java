package dev.cumulus.kafka.instances.application;

import dev.cumulus.kafka.credentials.application.CredentialService;
import dev.cumulus.kafka.topics.application.TopicService;
import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A kafka instance is a prefix on the cluster: nothing to create up front (the cluster answering is
 * checked, so an instance is not ready while Kafka is away); deleting one revokes its credentials
 * and deletes its topics.
 */
@Component
public class KafkaInstances implements InstanceProvisioner {

  private final TopicService topics;

  private final CredentialService credentials;

  public KafkaInstances(TopicService topics, CredentialService credentials) {
    this.topics = topics;
    this.credentials = credentials;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return topics.cluster().then();
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    TopicNames names = new TopicNames(instance.tenantId(), instance.serviceId());
    return credentials.revokeAll(names).then(topics.deleteAll(names));
  }
}
