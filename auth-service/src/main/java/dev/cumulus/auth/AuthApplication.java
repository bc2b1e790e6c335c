package dev.cumulus.auth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Tenants, plans, users, organizations, audit log, API keys, tokens and JWKS, service instances.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthApplication {

  public static void main(String[] args) {
    SpringApplication.run(AuthApplication.class, args);
  }
}
