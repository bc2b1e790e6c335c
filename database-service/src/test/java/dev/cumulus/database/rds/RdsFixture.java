package dev.cumulus.database.rds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.database.nosql.NoSqlFixture;
import dev.cumulus.platform.events.CloudEventHeaders;
import dev.cumulus.platform.events.ReceivedEvent;
import dev.cumulus.platform.testsupport.TestClients;
import dev.cumulus.platform.testsupport.TestJwtIssuer;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rdsdata.RdsDataClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the managed PostgreSQL tests share: the module's one application context (NoSqlFixture's),
 * rdsdatabase instances registered as auth-service's events would and dropped after each test, a
 * JSON client and a direct JDBC login.
 */
public abstract class RdsFixture extends NoSqlFixture {

  protected static final JsonMapper JSON = JsonMapper.builder().build();

  @Value("${cumulus.rds.admin.host}")
  protected String pgHost;

  @Value("${cumulus.rds.admin.port}")
  protected int pgPort;

  @Value("${cumulus.database.name}")
  protected String serviceDatabase;

  private final List<String> created = new CopyOnWriteArrayList<>();

  /** An rdsdatabase instance of a new tenant, with an admin token and an access key. */
  protected TestInstance newRds() {
    return newRds("t-" + UUID.randomUUID());
  }

  protected TestInstance newRds(String tenant) {
    String service = "rds-" + UUID.randomUUID();
    instances.created(service, "rdsdatabase", tenant, "db").block(Duration.ofSeconds(30));
    created.add(service);
    String key =
        "CK" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    String secret = UUID.randomUUID() + "/Secret+Key";
    CREDENTIALS.put(key, new String[] {secret, tenant, service});
    return new TestInstance(
        tenant,
        service,
        TestJwtIssuer.shared().token(tenant, "admin"),
        "/api/rdsdatabase/" + tenant + "/" + service,
        key,
        secret);
  }

  /** Drops every database and role the test created, as service.deleted would. */
  @AfterEach
  void dropCreated() {
    for (String service : created) {
      instances.deleted(service).block(Duration.ofSeconds(30));
    }
    created.clear();
  }

  protected JsonNode send(
      TestInstance db, HttpMethod method, String path, String body, int status) {
    WebTestClient.RequestBodySpec request =
        http.mutate()
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build()
            .method(method)
            .uri(db.base() + path)
            .header("Authorization", "Bearer " + db.token())
            .contentType(MediaType.APPLICATION_JSON);
    WebTestClient.RequestHeadersSpec<?> ready = body == null ? request : request.bodyValue(body);
    byte[] answer =
        ready
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return answer == null ? JSON.createObjectNode() : JSON.readTree(answer);
  }

  protected JsonNode query(TestInstance db, String sql) {
    return send(
        db, HttpMethod.POST, "/query", JSON.createObjectNode().put("query", sql).toString(), 200);
  }

  /** A JDBC login with the instance's credentials as GET credentials returns them. */
  protected Connection jdbc(TestInstance db) throws SQLException {
    JsonNode login = send(db, HttpMethod.GET, "/credentials", null, 200);
    return jdbc(login, login.path("database").stringValue());
  }

  protected Connection jdbc(JsonNode login, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database,
        login.path("username").stringValue(),
        login.path("password").stringValue());
  }

  /** Connects as the server's superuser (as the tests' PostgreSQL is configured). */
  protected Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database, "postgres", "");
  }

  /** The AWS SDK's rds-data client, signing with this access key, against this service. */
  protected RdsDataClient rdsData(String accessKey, String secret) {
    return RdsDataClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port + "/rds-data"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** The Data API's resourceArn of an instance. */
  protected static String arn(TestInstance db) {
    return "arn:aws:rds:us-east-1:000000000000:cluster:" + db.service();
  }

  /** This instance's managed PostgreSQL events, read from the topic's beginning. */
  protected static List<ReceivedEvent> rdsEvents(String service, String type, int expected) {
    List<ReceivedEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestClients.kafkaConsumer("cumulus.rds")) {
      Instant deadline = Instant.now().plusSeconds(30);
      while (found.size() < expected && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (service.equals(record.key())) {
            ReceivedEvent event = CloudEventHeaders.read(record.headers(), record.value());
            if (event.type().equals(type)) {
              found.add(event);
            }
          }
        }
      }
    }
    assertThat(found).as(type + " of " + service).hasSizeGreaterThanOrEqualTo(expected);
    return found;
  }
}
