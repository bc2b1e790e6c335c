package dev.cumulus.database.nosql;

import dev.cumulus.database.DatabaseApplication;
import dev.cumulus.database.rds.TestPlans;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * What the NoSQL integration tests share: one application context (REST and DynamoDB protocol tests
 * alike), instances registered as auth-service's events would, access keys with known secrets,
 * clients.
 */
@SpringBootTest(
    classes = {DatabaseApplication.class, NoSqlFixture.Keys.class, TestPlans.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class NoSqlFixture {

  /** Access key id -> {secret, tenant, service}, as auth-service would answer. */
  protected static final Map<String, String[]> CREDENTIALS = new ConcurrentHashMap<>();

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "nosql");
    registry.add(
        "spring.cloud.stream.bindings.serviceInstanceEvents-in-0.group",
        () -> "nosql-it-" + UUID.randomUUID());
    registry.add("cumulus.nosql.ttl-sweep-interval", () -> "500ms");
    // Every table change of these tests goes through this one replica, which forgets its copy at
    // once: a long-lived copy makes any write that misses the version check visible.
    registry.add("cumulus.nosql.schema-cache-ttl", () -> "1h");
  }

  /** Signing keys from {@link #CREDENTIALS} instead of auth-service. */
  @TestConfiguration
  static class Keys {

    @Bean
    @Primary
    SigningKeys testSigningKeys() {
      return (accessKeyId, date, region, service) -> {
        String[] c = CREDENTIALS.get(accessKeyId);
        if (c == null) {
          return Mono.error(
              new ApiException(
                  ErrorKind.FORBIDDEN, "unknown key", "InvalidAccessKeyId", null, Map.of(), null));
        }
        return Mono.just(
            new SigningKeys.Grant(
                accessKeyId, c[1], c[2], SigV4.signingKey(c[0], date, region, service)));
      };
    }
  }

  @LocalServerPort protected int port;
  @Autowired protected InstanceRegistry instances;
  @Autowired protected DatabaseClient database;

  protected WebTestClient http;

  @BeforeEach
  void client() {
    http = TestClients.http(port);
  }

  /** A nosqldatabase instance of a new tenant, with an admin token and an access key. */
  public record TestInstance(
      String tenant, String service, String token, String base, String accessKey, String secret) {}

  protected TestInstance newInstance() {
    return newInstance("t-" + UUID.randomUUID());
  }

  protected TestInstance newInstance(String tenant) {
    String service = UUID.randomUUID().toString();
    instances.created(service, "nosqldatabase", tenant, "db").block(Duration.ofSeconds(10));
    String key =
        "CK" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    String secret = UUID.randomUUID() + "/Secret+Key";
    CREDENTIALS.put(key, new String[] {secret, tenant, service});
    return new TestInstance(
        tenant,
        service,
        TestJwtIssuer.shared().token(tenant, "admin"),
        "/api/nosqldatabase/" + tenant + "/" + service,
        key,
        secret);
  }

  protected URI endpoint() {
    return URI.create("http://127.0.0.1:" + port + "/dynamodb");
  }

  protected DynamoDbClient dynamo(TestInstance instance) {
    return dynamo(instance.accessKey(), instance.secret());
  }

  protected DynamoDbClient dynamo(String accessKey, String secret) {
    return dynamoBuilder(accessKey, secret).build();
  }

  /** A client that gives up at the first error (the SDK retries throttling for seconds). */
  protected DynamoDbClient dynamoWithoutRetries(TestInstance instance) {
    return dynamoBuilder(instance.accessKey(), instance.secret())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private DynamoDbClientBuilder dynamoBuilder(String accessKey, String secret) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClient(UrlConnectionHttpClient.create());
  }

  /** This instance's item events, read from the topic's beginning. */
  protected static List<ReceivedEvent> itemEvents(String service, int expected) {
    List<ReceivedEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer("cumulus.nosql")) {
      Instant deadline = Instant.now().plusSeconds(30);
      while (found.size() < expected && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null && record.key().startsWith(service + "/")) {
            found.add(CloudEventHeaders.read(record.headers(), record.value()));
          }
        }
      }
    }
    return found;
  }
}
