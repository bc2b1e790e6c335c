package dev.cumulus.integration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Outbound webhooks, notifications, inbound integrations and sync. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IntegrationApplication {

  public static void main(String[] args) {
    SpringApplication.run(IntegrationApplication.class, args);
  }
}
