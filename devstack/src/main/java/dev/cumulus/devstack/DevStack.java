package dev.cumulus.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Local infrastructure for {@code ./cumulus up}: PostgreSQL and Redis (a local server when one
 * answers, else an embedded one) and a Kafka KRaft broker in this JVM. When all answer it writes
 * {@code <run-dir>/devstack.env} with the addresses the services must use, prints {@code devstack
 * ready}, and runs until SIGTERM / Ctrl-C, when it stops what it started in reverse order.
 */
public final class DevStack {

  private final DevStackConfig config;
  private final Deque<Endpoint> started = new ArrayDeque<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  public DevStack(DevStackConfig config) {
    this.config = config;
  }

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(DevStackConfig.USAGE);
      return;
    }
    DevStackConfig config;
    try {
      config = DevStackConfig.from(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("devstack: " + e.getMessage() + "\n" + DevStackConfig.USAGE);
      System.exit(2);
      return;
    }
    DevStack stack = new DevStack(config);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "devstack-stop"));
    try {
      stack.start();
    } catch (DevStackException e) {
      System.err.println("devstack: " + e.getMessage());
      System.exit(1); // the shutdown hook stops whatever did start
    } catch (RuntimeException e) {
      System.err.println("devstack: start-up failed");
      e.printStackTrace();
      System.exit(1);
    }
    stack.awaitStop();
  }

  /** Starts (or finds) every component, then writes the env file. */
  public void start() {
    long begin = System.nanoTime();
    Path data = config.dataDir();
    deleteEnvFile(); // a stale file would tell the services "ready" too early
    started.push(Postgres.ensure(config.pgHost(), config.pgPort(), data.resolve("postgres")));
    started.push(Redis.ensure(config.redisHost(), config.redisPort(), data.resolve("redis")));
    started.push(startKafka(data.resolve("kafka")));
    writeEnvFile();
    double seconds = (System.nanoTime() - begin) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "devstack ready in %.1f s: %s; env in %s%n",
        seconds,
        String.join(", ", started.reversed().stream().map(Endpoint::toString).toList()),
        config.envFile());
  }

  /** Stops what this devstack started, newest first; borrowed servers are left running. */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    try {
      deleteEnvFile();
      while (!started.isEmpty()) {
        Endpoint endpoint = started.pop();
        try {
          endpoint.close();
        } catch (Exception e) {
          System.err.println("devstack: stopping " + endpoint.name() + " failed: " + e);
        }
      }
      System.out.println("devstack stopped");
    } finally {
      stopped.countDown();
    }
  }

  /** Blocks until {@link #stop()} has finished. */
  public void awaitStop() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Endpoint startKafka(Path dir) {
    KafkaBroker broker =
        new KafkaBroker(
            dir,
            config.kafkaHost(),
            config.kafkaPort(),
            config.controllerPort(),
            config.tenantKafkaPort());
    broker.start();
    return new Endpoint(
        "kafka",
        config.kafkaHost(),
        config.kafkaPort(),
        "in-JVM KRaft broker, data in " + dir,
        broker);
  }

  /** Writes the addresses atomically, so a reader never sees half a file. */
  private void writeEnvFile() {
    Endpoint postgres = find("postgres");
    Endpoint redis = find("redis");
    String content =
        """
        # Written by devstack when all components answer; removed when it stops.
        # postgres: %s
        # redis: %s
        # kafka: %s
        CUMULUS_PG_HOST=%s
        CUMULUS_PG_PORT=%d
        CUMULUS_KAFKA_BOOTSTRAP=%s
        CUMULUS_REDIS_HOST=%s
        CUMULUS_REDIS_PORT=%d
        """
                .formatted(
                    postgres.origin(),
                    redis.origin(),
                    find("kafka").origin(),
                    postgres.host(),
                    postgres.port(),
                    config.kafkaBootstrap(),
                    redis.host(),
                    redis.port())
            // The tenants' SASL/SCRAM listener, for the credentials kafka-service hands out.
            + (config.tenantKafkaBootstrap() == null
                ? ""
                : "CUMULUS_KAFKA_TENANT_BOOTSTRAP=" + config.tenantKafkaBootstrap() + "\n");
    try {
      Files.createDirectories(config.runDir());
      Path tmp = Files.createTempFile(config.runDir(), "devstack", ".env.tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, config.envFile(), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DevStackException("cannot write " + config.envFile() + ": " + e.getMessage(), e);
    }
  }

  private void deleteEnvFile() {
    try {
      Files.deleteIfExists(config.envFile());
    } catch (IOException e) {
      System.err.println("devstack: cannot delete " + config.envFile() + ": " + e);
    }
  }

  private Endpoint find(String name) {
    return started.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }
}
