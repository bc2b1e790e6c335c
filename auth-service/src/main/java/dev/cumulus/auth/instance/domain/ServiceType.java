package dev.cumulus.auth.instance.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The DockSaaS service types (seed 000): the lower-case path segment of {@code
 * /api/{type}/{tenantId}/{serviceId}} and the display name used in webhooks ({@code S3Storage}).
 */
public enum ServiceType {
  S3STORAGE("S3Storage", true),
  RDSDATABASE("RDSDatabase", true),
  NOSQLDATABASE("NoSQLDatabase", true),
  QUEUE("Queue", true),
  FUNCTION("Function", true),
  KAFKA("Kafka", false);

  private final String displayName;
  private final boolean awsProtocols;

  ServiceType(String displayName, boolean awsProtocols) {
    this.displayName = displayName;
    this.awsProtocols = awsProtocols;
  }

  /**
   * Its instances speak AWS wire protocols (S3, SQS, DynamoDB, RDS Data, Lambda), SigV4-signed with
   * the instance's access keys; Kafka instances use SASL credentials instead.
   */
  public boolean speaksAwsProtocols() {
    return awsProtocols;
  }

  /** {@code s3storage}: the path segment. */
  public String pathSegment() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code S3Storage}: as in seed 000's webhook payload. */
  public String displayName() {
    return displayName;
  }

  /** Case-insensitive: {@code s3storage}, {@code S3Storage} and {@code S3STORAGE} all parse. */
  public static Optional<ServiceType> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(value.trim())).findFirst();
  }
}
