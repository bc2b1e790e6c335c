package dev.cumulus.kafka.topics.application;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.platform.config.CumulusProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The Kafka clients of the cluster tenants' topics live on: one Admin client and one producer, both
 * thread-safe and shared by every request, and a factory for the pooled consumers.
 */
@Component
public class KafkaClients implements DisposableBean {

  private final String bootstrapServers;
  private final Admin admin;
  private final Producer<byte[], byte[]> producer;
  private final int maxRecordBytes;

  public KafkaClients(KafkaServiceProperties properties, CumulusProperties platform) {
    this.bootstrapServers =
        properties.bootstrapServers().isBlank()
            ? platform.kafka().bootstrapServers()
            : properties.bootstrapServers();
    this.maxRecordBytes = (int) properties.maxRecordBytes().toBytes();
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "kafka-service-admin",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000));
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-service-rest");
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // Room for the largest record the API accepts plus its framing.
    producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + 64 * 1024);
    // send() waits for metadata at most this long; it runs on a bounded scheduler, never a loop.
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public Admin admin() {
    return admin;
  }

  public Producer<byte[], byte[]> producer() {
    return producer;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * A consumer of one group that is only ever {@code assign()}ed: it commits the group's offsets
   * without joining the group, so no call costs a rebalance and any replica can continue the group.
   *
   * @param group the broker's group name, or null for stateless reads
   */
  public KafkaConsumer<byte[], byte[]> consumer(
      String group, int maxPollRecords, long fetchMaxBytes) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-service-rest");
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    // What a pooled consumer may buffer between calls (ConsumerPool counts it); Kafka's 50 MB
    // default is more than the service's heap.
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, (int) fetchMaxBytes);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public void destroy() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
