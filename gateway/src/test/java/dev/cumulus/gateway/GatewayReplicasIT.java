package dev.cumulus.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.CumulusTestProperties;
import dev.cumulus.platform.testsupport.FreePorts;
import dev.cumulus.platform.testsupport.TestClients;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A service with several URLs ({@code CUMULUS_<KEY>_URL=a,b,c}): requests go round-robin over its
 * replicas, a replica refusing connections is skipped for any method, and one that drops the
 * connection after the request was sent is skipped only for bodiless idempotent requests.
 */
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayReplicasIT {

  static final TestUpstream auth = new TestUpstream();
  static final TestUpstream first = new TestUpstream();
  static final TestUpstream second = new TestUpstream();
  static final TestUpstream queueReplica = new TestUpstream();
  static final String DEAD = "http://127.0.0.1:" + FreePorts.next();

  /** Reads the request, then closes the connection without answering: a replica dying mid-call. */
  static final AtomicInteger dropped = new AtomicInteger();

  static final DisposableServer dropper =
      TcpServer.create()
          .host("127.0.0.1")
          .port(0)
          .handle(
              (in, out) ->
                  in.receive()
                      .next()
                      .doOnNext(bytes -> dropped.incrementAndGet())
                      .then(Mono.empty()))
          .bindNow();

  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @LocalServerPort int port;
  WebTestClient http;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    CumulusTestProperties.register(registry, "gateway");
    registry.add("CUMULUS_AUTH_URL", auth::url);
    // Storage: two live replicas and one where nothing listens (blanks around commas allowed).
    registry.add("CUMULUS_STORAGE_URL", () -> first.url() + ", " + DEAD + " ," + second.url());
    // Queue: a live replica and one that drops every connection once the request arrived.
    registry.add(
        "CUMULUS_QUEUE_URL", () -> "http://127.0.0.1:" + dropper.port() + "," + queueReplica.url());
    registry.add("cumulus.gateway.rate-limits.key-prefix", () -> "test-" + RUN + ":");
    registry.add("cumulus.gateway.routing.unbuilt-services", () -> "");
  }

  @AfterAll
  static void stop() {
    auth.close();
    first.close();
    second.close();
    queueReplica.close();
    dropper.disposeNow();
  }

  @BeforeEach
  void client() {
    http = TestClients.http(port);
  }

  @Test
  void requestsAreSpreadOverTheLiveReplicasAndTheDeadOneFailsNone() {
    int firstBefore = first.requests();
    int secondBefore = second.requests();
    for (int i = 0; i < 30; i++) {
      // POST is not idempotent, but a refused connection sent nothing: it goes to the next replica.
      http.post()
          .uri("/s3/bucket-" + RUN + "/object-" + i + "?uploads")
          .bodyValue("part " + i)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.path")
          .isEqualTo("/s3/bucket-" + RUN + "/object-" + i)
          .jsonPath("$.query")
          .isEqualTo("uploads");
    }
    int servedByFirst = first.requests() - firstBefore;
    int servedBySecond = second.requests() - secondBefore;
    assertThat(servedByFirst + servedBySecond).isEqualTo(30);
    // Round-robin with the dead replica set aside: about half each, never all on one.
    assertThat(servedByFirst).isBetween(10, 20);
    assertThat(servedBySecond).isBetween(10, 20);
  }

  @Test
  void aConnectionDroppedAfterSendingIsRetriedOnlyForBodilessIdempotentRequests() {
    int servedBefore = queueReplica.requests();
    int droppedBefore = dropped.get();
    for (int i = 0; i < 6; i++) {
      http.get().uri("/sqs/queue-" + RUN + "?i=" + i).exchange().expectStatus().isOk();
    }
    assertThat(queueReplica.requests() - servedBefore).isEqualTo(6);
    assertThat(dropped.get() - droppedBefore).as("the dropper got its turns").isGreaterThan(0);

    // A POST with a body that reached the dropping replica may have been acted on: not replayed.
    int answered = 0;
    int unavailable = 0;
    for (int i = 0; i < 4; i++) {
      var result =
          http.post()
              .uri("/sqs/queue-" + RUN)
              .bodyValue("Action=SendMessage&MessageBody=" + i)
              .exchange()
              .expectBody(String.class)
              .returnResult();
      if (result.getStatus().value() == 200) {
        answered++;
      } else {
        // In SQS's own error shape, as the AWS SDKs read it.
        assertThat(result.getStatus().value()).isEqualTo(503);
        assertThat(result.getResponseBody()).contains("\"__type\":\"com.amazonaws.sqs#");
        unavailable++;
      }
    }
    assertThat(answered).isEqualTo(2);
    assertThat(unavailable).isEqualTo(2);
  }
}
