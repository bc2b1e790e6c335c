package dev.cumulus.platform.testsupport;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL, Redis and Kafka for integration tests, started at most once per test JVM. Each
 * is taken, in order, from:
 *
 * <ol>
 *   <li>a server named by the environment ({@code CUMULUS_TEST_PG_URL}, {@code
 *       CUMULUS_TEST_REDIS_URL}, {@code CUMULUS_TEST_KAFKA_BOOTSTRAP});
 *   <li>Testcontainers, when a Docker engine is available;
 *   <li>an embedded fallback: zonky embedded PostgreSQL, embedded Redis, an in-JVM KRaft broker.
 * </ol>
 *
 * Nothing here fails because Docker is absent.
 */
public final class TestInfrastructure {

  private static final Logger log = LoggerFactory.getLogger(TestInfrastructure.class);

  private static final Lazy<PostgresServer> POSTGRES =
      new Lazy<>(TestInfrastructure::startPostgres);
  private static final Lazy<URI> REDIS = new Lazy<>(TestInfrastructure::startRedis);
  private static final Lazy<String> KAFKA = new Lazy<>(TestInfrastructure::startKafka);

  private TestInfrastructure() {}

  public static PostgresServer postgres() {
    return POSTGRES.get();
  }

  /** {@code redis://host:port} */
  public static URI redis() {
    return REDIS.get();
  }

  /** Kafka bootstrap servers, {@code host:port}. */
  public static String kafkaBootstrapServers() {
    return KAFKA.get();
  }

  private static PostgresServer startPostgres() {
    String url = System.getenv("CUMULUS_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      log.info("Tests use PostgreSQL from CUMULUS_TEST_PG_URL");
      return PostgresServer.fromUrl(url);
    }
    if (dockerAvailable()) {
      var container = new PostgreSQLContainer(DockerImageName.parse("postgres:17-alpine"));
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new PostgresServer(
          container.getHost(),
          container.getMappedPort(5432),
          container.getUsername(),
          container.getPassword());
    }
    try {
      // zonky refuses to run as root: run the tests as a normal user or set CUMULUS_TEST_PG_URL.
      var embedded = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(embedded)));
      return new PostgresServer("127.0.0.1", embedded.getPort(), "postgres", "");
    } catch (Exception e) {
      throw new IllegalStateException(
          "No PostgreSQL for tests: set CUMULUS_TEST_PG_URL, start Docker, or run as non-root"
              + " for embedded PostgreSQL",
          e);
    }
  }

  private static URI startRedis() {
    String url = System.getenv("CUMULUS_TEST_REDIS_URL");
    if (url != null && !url.isBlank()) {
      return URI.create(url);
    }
    try {
      int port = FreePorts.next();
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("dir " + Files.createTempDirectory("cumulus-redis"))
              .build();
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server::stop)));
      return URI.create("redis://127.0.0.1:" + port);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start embedded Redis", e);
    }
  }

  private static String startKafka() {
    String bootstrap = System.getenv("CUMULUS_TEST_KAFKA_BOOTSTRAP");
    if (bootstrap != null && !bootstrap.isBlank() && answers(bootstrap)) {
      log.info("Tests use Kafka from CUMULUS_TEST_KAFKA_BOOTSTRAP at {}", bootstrap);
      return bootstrap;
    }
    if (dockerAvailable()) {
      var container = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"));
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return container.getBootstrapServers();
    }
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
    broker.brokerProperty("auto.create.topics.enable", "true");
    broker.afterPropertiesSet();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
    log.info("Tests use an in-JVM KRaft broker at {}", broker.getBrokersAsString());
    return broker.getBrokersAsString();
  }

  private static boolean dockerAvailable() {
    // Skip Testcontainers' own probing (and its loud logging) when no engine can be there.
    if (System.getenv("DOCKER_HOST") == null
        && !Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  private static boolean answers(String hostPort) {
    String first = hostPort.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))),
          1000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Ignoring failure while stopping test infrastructure", e);
    }
  }

  /** Thread-safe lazy value, computed once. */
  private static final class Lazy<T> {
    private final Supplier<T> supplier;
    private volatile T value;

    Lazy(Supplier<T> supplier) {
      this.supplier = supplier;
    }

    synchronized T get() {
      if (value == null) {
        value = supplier.get();
      }
      return value;
    }
  }
}
