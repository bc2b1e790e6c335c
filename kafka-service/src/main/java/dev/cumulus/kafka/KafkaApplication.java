package dev.cumulus.kafka;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Kafka as a service: the seed's REST API over tenant-prefixed topics on a real cluster, and every
 * platform event of a tenant delivered to the tenant's own topic.
 */
@SpringBootApplication
@EnableConfigurationProperties(KafkaServiceProperties.class)
public class KafkaApplication {

  public static void main(String[] args) {
    SpringApplication.run(KafkaApplication.class, args);
  }
}
