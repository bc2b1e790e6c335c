package dev.cumulus.integration.common;

/** The Kafka topic of integration-service's own events (webhook endpoints, notifications). */
public final class IntegrationEvents {

  public static final String TOPIC = "cumulus.integration";

  private IntegrationEvents() {}
}
