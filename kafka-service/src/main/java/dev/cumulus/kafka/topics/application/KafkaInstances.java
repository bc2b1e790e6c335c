package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.topics.domain.TopicNames;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A kafka instance is a prefix on the cluster: nothing to create up front (the cluster answering is
 * checked, so an instance is not ready while Kafka is away); deleting one deletes its topics.
 */
@Component
public class KafkaInstances implements InstanceProvisioner {

  private final TopicService topics;

  public KafkaInstances(TopicService topics) {
    this.topics = topics;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return topics.cluster().then();
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return topics.deleteAll(new TopicNames(instance.tenantId(), instance.serviceId()));
  }
}
