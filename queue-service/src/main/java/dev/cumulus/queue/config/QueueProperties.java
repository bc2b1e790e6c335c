package dev.cumulus.queue.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * queue-service settings ({@code cumulus.queue.*}).
 *
 * @param sweepInterval how often expired messages, deduplication ids and empty FIFO groups go
 * @param metricsInterval how often the per-queue gauges are refreshed
 * @param queueCacheTtl how long a replica answers message operations from its copy of a queue's
 *     row; changes made on this replica are seen at once, those made on another one after this
 * @param moveInterval how often a replica looks for message move tasks due for a step (each task
 *     steps once a second at most)
 */
@ConfigurationProperties("cumulus.queue")
public record QueueProperties(
    @DefaultValue Sqs sqs,
    @DefaultValue("30s") Duration sweepInterval,
    @DefaultValue("15s") Duration metricsInterval,
    @DefaultValue("1s") Duration queueCacheTtl,
    @DefaultValue("250ms") Duration moveInterval) {

  /**
   * The SQS JSON protocol.
   *
   * @param pathPrefix where it is served; queue URLs are {@code <prefix>/<serviceId>/<queue>}
   * @param region the region queue ARNs name
   */
  public record Sqs(
      @DefaultValue("/sqs") String pathPrefix, @DefaultValue("us-east-1") String region) {}
}
