package dev.cumulus.platform.health;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import reactor.core.publisher.Mono;

/**
 * UP while the Kafka cluster answers a describe-cluster call within the timeout. Part of the
 * readiness group: a service that cannot publish or consume events should not take traffic.
 */
public class KafkaHealthIndicator extends AbstractReactiveHealthIndicator {

  private final Admin admin;
  private final Duration timeout;

  public KafkaHealthIndicator(Admin admin, Duration timeout) {
    super("Kafka health check failed");
    this.admin = admin;
    this.timeout = timeout;
  }

  @Override
  protected Mono<Health> doHealthCheck(Health.Builder builder) {
    DescribeClusterResult cluster =
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
    return Mono.fromCompletionStage(cluster.clusterId().toCompletionStage())
        .zipWith(Mono.fromCompletionStage(cluster.nodes().toCompletionStage()))
        .map(
            idAndNodes ->
                builder
                    .up()
                    .withDetail("clusterId", idAndNodes.getT1())
                    .withDetail("nodes", idAndNodes.getT2().size())
                    .build())
        .timeout(timeout.plusMillis(500));
  }
}
