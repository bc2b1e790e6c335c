package dev.cumulus.queue.sqs;

import dev.cumulus.queue.QueueApplication;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Another queue-service replica for a test: a second application on a random port, on the test
 * context's database, Kafka and Redis, with a consumer group of its own for instance events.
 */
final class QueueReplica {

  private static final List<String> SHARED =
      List.of(
          "cumulus.pg.host",
          "cumulus.pg.port",
          "cumulus.pg.user",
          "cumulus.pg.password",
          "cumulus.database.name",
          "cumulus.kafka.bootstrap-servers",
          "spring.data.redis.host",
          "spring.data.redis.port",
          "cumulus.security.jwks-uri");

  private QueueReplica() {}

  static ConfigurableApplicationContext start(
      Environment environment, Map<String, Object> settings, Class<?>... extraSources) {
    Map<String, Object> properties = new HashMap<>();
    for (String key : SHARED) {
      properties.put(key, environment.getProperty(key));
    }
    properties.put("server.port", "0");
    properties.put(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        "queue-replica-" + UUID.randomUUID());
    properties.put("cumulus.queue.metrics-interval", "1h");
    properties.putAll(settings);
    // Command-line arguments: they win over the platform's defaults, as in production.
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    Class<?>[] sources = new Class<?>[extraSources.length + 1];
    sources[0] = QueueApplication.class;
    System.arraycopy(extraSources, 0, sources, 1, extraSources.length);
    return new SpringApplicationBuilder(sources).run(args);
  }
}
