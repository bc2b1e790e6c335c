package dev.cumulus.storage.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings for calls between Cumulus services.
 *
 * @param secret shared by services for internal calls (here: S3 signing keys from auth-service);
 *     empty when not configured
 */
@ConfigurationProperties("cumulus.internal")
public record InternalProperties(String secret) {

  public InternalProperties {
    secret = secret == null ? "" : secret;
  }
}
