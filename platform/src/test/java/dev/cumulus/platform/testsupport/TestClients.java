package dev.cumulus.platform.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Clients tests use to talk to a running service and to the test Kafka. */
public final class TestClients {

  private TestClients() {}

  /**
   * A client for a service listening on the loopback port. Each request opens its own connection:
   * tests often leave a response body unread or get answered before their body was read, and a
   * pooled connection left in such a state must not stall the next test.
   */
  public static WebTestClient http(int port) {
    return WebTestClient.bindToServer(
            new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.newConnection()))
        .baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(20))
        .build();
  }

  /** A consumer in a fresh group, subscribed to the topic from its beginning. */
  public static KafkaConsumer<String, byte[]> kafkaConsumer(String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
