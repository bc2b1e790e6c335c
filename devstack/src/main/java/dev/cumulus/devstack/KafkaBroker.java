package dev.cumulus.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * A single-node Kafka 4 KRaft cluster (one process acting as broker and controller) running in this
 * JVM from the {@code kafka_2.13} jars.
 *
 * <p>Everything lives under one directory: {@code cluster.id} (chosen on first start and kept) and
 * {@code logs/} (topic partitions and the {@code __cluster_metadata} log). The storage is formatted
 * on first start only, so topics and records survive a restart.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final Path dir;
  private final String host;
  private final int port;
  private final int controllerPort;
  private final int tenantPort;
  private KafkaRaftServer server;

  /**
   * @param dir data directory, created if missing
   * @param host address both listeners bind to and the broker advertises
   * @param port client port (PLAINTEXT listener)
   * @param controllerPort KRaft controller port
   */
  public KafkaBroker(Path dir, String host, int port, int controllerPort) {
    this(dir, host, port, controllerPort, 0);
  }

  /**
   * A broker that also serves tenants: a SASL_PLAINTEXT listener with SCRAM-SHA-512 on {@code
   * tenantPort}, and the standard authorizer, which denies tenants' users what no ACL allows. The
   * platform's PLAINTEXT listener stays unauthenticated; its principal (ANONYMOUS) is the super
   * user, so keep that port on the loopback or an internal network.
   *
   * @param tenantPort the tenants' SASL listener, or 0 for none (and no authorizer)
   */
  public KafkaBroker(Path dir, String host, int port, int controllerPort, int tenantPort) {
    this.dir = dir.toAbsolutePath().normalize();
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
    this.tenantPort = tenantPort;
  }

  /** Formats the storage if this is the first start, then starts the node and waits for it. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    for (int p : new int[] {port, controllerPort, tenantPort}) {
      if (p > 0 && Ports.isOpen(host, p)) {
        throw new DevStackException(
            "port "
                + host
                + ":"
                + p
                + " is already in use (another Kafka?). Stop it, or choose other ports with"
                + " CUMULUS_KAFKA_BROKER_PORT / CUMULUS_KAFKA_CONTROLLER_PORT /"
                + " CUMULUS_KAFKA_TENANT_PORT.");
      }
    }
    try {
      Files.createDirectories(logDir());
      if (!isFormatted()) {
        format(clusterId());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka storage in " + dir, e);
    } catch (Exception e) {
      throw new DevStackException("cannot format Kafka storage in " + logDir(), e);
    }
    KafkaRaftServer raftServer =
        new KafkaRaftServer(new KafkaConfig(properties(), false), Time.SYSTEM);
    try {
      raftServer.startup(); // returns once the broker has caught up and is unfenced
    } catch (RuntimeException e) {
      raftServer.shutdown(); // release ports and threads of whatever did start
      throw e;
    }
    server = raftServer;
  }

  /** {@code host:port} of the tenants' SASL listener, or null when there is none. */
  public String tenantBootstrapServers() {
    return tenantPort > 0 ? host + ":" + tenantPort : null;
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return host + ":" + port;
  }

  /** The cluster id, chosen on first start and kept in {@code cluster.id}. */
  public String clusterId() throws IOException {
    Path file = dir.resolve("cluster.id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String id = Uuid.randomUuid().toString();
    Files.createDirectories(dir);
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }

  /** Stops the node and waits until its threads are gone; safe to call twice. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  private Path logDir() {
    return dir.resolve("logs");
  }

  private boolean isFormatted() {
    return Files.exists(logDir().resolve("meta.properties"));
  }

  /** What {@code kafka-storage.sh format} does, through Kafka's own Formatter. */
  private void format(String clusterId) throws Exception {
    new Formatter()
        .setPrintStream(new PrintStream(System.out, true, StandardCharsets.UTF_8))
        .setNodeId(NODE_ID)
        .setClusterId(clusterId)
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setMetadataLogDirectory(logDir().toString())
        .addDirectory(logDir().toString())
        .run();
  }

  /** The tenants' SASL/SCRAM listener beside the platform's, and the standard authorizer. */
  private Map<String, String> tenantListener() {
    return Map.ofEntries(
        Map.entry(
            "listeners",
            "PLAINTEXT://%s:%d,TENANT://%s:%d,%s://%s:%d"
                .formatted(
                    host, port, host, tenantPort, CONTROLLER_LISTENER, host, controllerPort)),
        Map.entry(
            "advertised.listeners",
            "PLAINTEXT://%s:%d,TENANT://%s:%d".formatted(host, port, host, tenantPort)),
        Map.entry(
            "listener.security.protocol.map",
            "PLAINTEXT:PLAINTEXT,TENANT:SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
        Map.entry("listener.name.tenant.sasl.enabled.mechanisms", "SCRAM-SHA-512"),
        Map.entry(
            "listener.name.tenant.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
        Map.entry(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        // The platform's listener and the controller authenticate nobody: ANONYMOUS is them.
        Map.entry("super.users", "User:ANONYMOUS"),
        Map.entry("allow.everyone.if.no.acl.found", "false"),
        // A revoked or rotated password stops working for open connections within this time.
        Map.entry("connections.max.reauth.ms", "300000"));
  }

  /**
   * Broker and controller in one process, with a static single-voter quorum (so the ports may
   * change between restarts), and internal topics sized for one node.
   */
  Properties properties() {
    Properties props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(NODE_ID)),
            Map.entry("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + host
                    + ":"
                    + port
                    + ","
                    + CONTROLLER_LISTENER
                    + "://"
                    + host
                    + ":"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://" + host + ":" + port),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
            Map.entry("log.dirs", logDir().toString()),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("num.partitions", "3"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "10"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "10"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // Register and get unfenced sooner after start (default heartbeat: every 2 s).
            Map.entry("broker.heartbeat.interval.ms", "500"),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", "4"),
            Map.entry("log.retention.hours", "168")));
    if (tenantPort > 0) {
      props.putAll(tenantListener());
    }
    return props;
  }
}
