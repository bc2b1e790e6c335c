package dev.cumulus.queue;

import dev.cumulus.queue.config.QueueProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** SQS-like queues: the seed's REST API and the SQS JSON protocol over one domain. */
@SpringBootApplication
@EnableConfigurationProperties(QueueProperties.class)
public class QueueApplication {

  public static void main(String[] args) {
    SpringApplication.run(QueueApplication.class, args);
  }
}
