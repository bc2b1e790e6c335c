package dev.cumulus.e2e;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A single-node KRaft broker as devstack runs one: the platform's PLAINTEXT listener (its
 * principal, ANONYMOUS, is a super user), a SASL_PLAINTEXT listener with SCRAM-SHA-512 for tenants'
 * own Kafka clients, and the standard authorizer denying what no ACL allows. platform's
 * TestInfrastructure broker has neither, so the tenant event subscription runs on this one.
 */
final class TenantKafkaBroker implements AutoCloseable {

  private final int port = FreePorts.next();
  private final int saslPort = FreePorts.next();
  private final int controllerPort = FreePorts.next();
  private final KafkaRaftServer server;

  TenantKafkaBroker() {
    try {
      Path logs = Files.createTempDirectory("e2e-kafka-sasl");
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
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the SASL test broker", e);
    }
  }

  /** The platform's listener: no authentication, super user. */
  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The tenants' SASL/SCRAM listener. */
  String tenantBootstrapServers() {
    return "127.0.0.1:" + saslPort;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
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
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4")));
    return props;
  }
}
