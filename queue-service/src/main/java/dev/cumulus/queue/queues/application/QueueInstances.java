package dev.cumulus.queue.queues.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceProvisioner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A queue instance needs nothing up front; deleting one deletes its queues and messages. */
@Component
public class QueueInstances implements InstanceProvisioner {

  private final QueueService queues;

  public QueueInstances(QueueService queues) {
    this.queues = queues;
  }

  @Override
  public Mono<Void> provision(Instance instance) {
    return Mono.empty();
  }

  @Override
  public Mono<Void> deprovision(Instance instance) {
    return queues.deleteAll(instance.serviceId());
  }
}
