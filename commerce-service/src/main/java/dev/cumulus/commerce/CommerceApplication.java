package dev.cumulus.commerce;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Orders, payments, monitoring, Stripe webhooks (Cloud Integration seed). */
@SpringBootApplication
@EnableScheduling
public class CommerceApplication {

  public static void main(String[] args) {
    SpringApplication.run(CommerceApplication.class, args);
  }
}
