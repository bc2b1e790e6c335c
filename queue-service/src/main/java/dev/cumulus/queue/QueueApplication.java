package dev.cumulus.queue;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** SQS-like queues. */
@SpringBootApplication
public class QueueApplication {

  public static void main(String[] args) {
    SpringApplication.run(QueueApplication.class, args);
  }
}
