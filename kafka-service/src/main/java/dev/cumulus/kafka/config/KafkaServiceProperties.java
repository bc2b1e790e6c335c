package dev.cumulus.kafka.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * kafka-service settings ({@code cumulus.kafka-service.*}). The broker is the platform's own
 * ({@code cumulus.kafka.bootstrap-servers}) unless {@code bootstrapServers} names another cluster.
 *
 * @param bootstrapServers the cluster tenants' topics live on; empty means the platform's
 * @param tenantBootstrapServers the cluster's SASL listener for tenants' own clients, as
 *     credentials show it; empty means {@code bootstrapServers}
 * @param maxRecordBytes the largest key plus value one produced record may have
 * @param consume REST consume limits and the consumer pool
 * @param tenantEvents the tenants' event topics
 */
@ConfigurationProperties("cumulus.kafka-service")
public record KafkaServiceProperties(
    @DefaultValue("") String bootstrapServers,
    @DefaultValue("") String tenantBootstrapServers,
    @DefaultValue("1MB") DataSize maxRecordBytes,
    @DefaultValue Consume consume,
    @DefaultValue TenantEvents tenantEvents) {

  /**
   * @param partitions partitions of a new {@code tenant.<tenantId>.events} topic
   * @param retention how long events stay on it
   */
  public record TenantEvents(
      @DefaultValue("3") int partitions, @DefaultValue("7d") Duration retention) {}

  /**
   * @param maxMessages the most records one consume call returns
   * @param maxTimeout the longest a consume call waits for records
   * @param maxResponseBytes the most key, value and header bytes one consume call returns
   * @param threads consume calls running at once (each holds a thread while it polls)
   * @param inFlightBytes the most record bytes the running consume calls may hold, in all (at least
   *     {@code maxResponseBytes}); a call that finds no room for a first record is refused with 503
   * @param poolSize pooled consumers kept open (one per consumer group in use)
   * @param poolBytes the most the pooled consumers may hold between calls, in all (records kept for
   *     the next call and fetches buffered); the least recently used are closed past it
   * @param fetchMaxBytes a consumer's {@code fetch.max.bytes}: the most it buffers from the broker
   * @param idleTimeout a pooled consumer unused this long is closed
   */
  public record Consume(
      @DefaultValue("5000") int maxMessages,
      @DefaultValue("30s") Duration maxTimeout,
      @DefaultValue("8MB") DataSize maxResponseBytes,
      @DefaultValue("16") int threads,
      @DefaultValue("32MB") DataSize inFlightBytes,
      @DefaultValue("64") int poolSize,
      @DefaultValue("24MB") DataSize poolBytes,
      @DefaultValue("4MB") DataSize fetchMaxBytes,
      @DefaultValue("5m") Duration idleTimeout) {}
}
