package dev.cumulus.kafka;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node KRaft broker as production runs one for tenants, started once per test JVM: the
 * platform's PLAINTEXT listener (its principal, ANONYMOUS, is a super user), a SASL_PLAINTEXT
 * listener with SCRAM-SHA-512 for tenants, and the standard authorizer denying what no ACL allows.
 * (platform's TestInfrastructure broker has no SASL listener or authorizer.)
 */
final class SaslKafkaBroker {

  private static SaslKafkaBroker shared;

  private final int port = FreePorts.next();
  private final int saslPort = FreePorts.next();
  private final int controllerPort = FreePorts.next();
  private final KafkaRaftServer server;

  private SaslKafkaBroker() throws Exception {
    Path logs = Files.createTempDirectory("kafka-sasl-it");
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setNodeId(1)
        .setClusterId(Uuid.randomUuid().toString())
        .setControllerListenerName("CONTROLLER")
        .setMetadataLogDirectory(logs.toString())
        .addDirectory(logs.toString())
        .run();
    server = new KafkaRaftServer(new KafkaConfig(properties(logs), false), Time.SYSTEM);
    server.startup();
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
  }

  static synchronized SaslKafkaBroker shared() {
    if (shared == null) {
      try {
        shared = new SaslKafkaBroker();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("Cannot start the SASL test broker", e);
      }
    }
    return shared;
  }

  /** The platform's listener: no authentication, super user. */
  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The tenants' SASL/SCRAM listener. */
  String tenantBootstrapServers() {
    return "127.0.0.1:" + saslPort;
  }

  /** A platform (super user) consumer in a fresh group, subscribed to the topic from its start. */
  KafkaConsumer<String, byte[]> platformConsumer(String topic) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  /** Client settings of a tenant's Kafka user on the SASL listener. */
  Map<String, Object> tenantClient(String username, String password) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, tenantBootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + username
            + "\" password=\""
            + password
            + "\";");
    return config;
  }

  private Properties properties(Path logs) {
    Properties props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry(
                "listeners",
                "PLAINTEXT://127.0.0.1:%d,TENANT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d"
                    .formatted(port, saslPort, controllerPort)),
            Map.entry(
                "advertised.listeners",
                "PLAINTEXT://127.0.0.1:%d,TENANT://127.0.0.1:%d".formatted(port, saslPort)),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,TENANT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("listener.name.tenant.sasl.enabled.mechanisms", "SCRAM-SHA-512"),
            Map.entry(
                "listener.name.tenant.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
            Map.entry(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
            Map.entry("super.users", "User:ANONYMOUS"),
            Map.entry("allow.everyone.if.no.acl.found", "false"),
            Map.entry("log.dirs", logs.toString()),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("num.partitions", "3"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("broker.heartbeat.interval.ms", "500"),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4")));
    return props;
  }
}
