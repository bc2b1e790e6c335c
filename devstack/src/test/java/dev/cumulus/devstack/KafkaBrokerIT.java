package dev.cumulus.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-JVM KRaft broker serves plain Kafka clients and keeps its records across a restart. */
class KafkaBrokerIT {

  private static final String TOPIC = "devstack.persistence";

  @TempDir Path dir;

  @Test
  void recordSurvivesRestartOnTheSameDirectory() throws Exception {
    int port = Ports.freePort();
    int controllerPort = Ports.freePort();

    String clusterId;
    try (KafkaBroker broker = new KafkaBroker(dir, "127.0.0.1", port, controllerPort)) {
      broker.start();
      clusterId = broker.clusterId();
      produce(broker.bootstrapServers(), "k1", "hello");
      assertThat(readAll(broker.bootstrapServers())).containsExactly("k1=hello");
    }

    try (KafkaBroker broker = new KafkaBroker(dir, "127.0.0.1", port, controllerPort)) {
      broker.start();
      assertThat(broker.clusterId()).isEqualTo(clusterId);
      assertThat(readAll(broker.bootstrapServers())).containsExactly("k1=hello");
    }
  }

  private static void produce(String bootstrap, String key, String value) throws Exception {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName()));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      // Partition 0 explicitly: the topic is auto-created with num.partitions=3.
      producer.send(new ProducerRecord<>(TOPIC, 0, key, value)).get();
    }
  }

  /** Reads partition 0 from the beginning, without a consumer group. */
  private static List<String> readAll(String bootstrap) {
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    List<String> seen = new ArrayList<>();
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
    }
    return seen;
  }
}
