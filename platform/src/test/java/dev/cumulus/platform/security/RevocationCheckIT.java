package dev.cumulus.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The revocation check against the real Redis, and against none. */
class RevocationCheckIT {

  private final ExecutorService requestLoop =
      Executors.newSingleThreadExecutor(task -> new Thread(task, "request-loop"));
  private LettuceConnectionFactory factory;

  @AfterEach
  void close() {
    requestLoop.shutdownNow();
    if (factory != null) {
      factory.destroy();
    }
  }

  private ReactiveStringRedisTemplate redisAt(String host, int port) {
    factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
    factory.afterPropertiesSet();
    factory.start();
    return new ReactiveStringRedisTemplate(factory);
  }

  @Test
  void tellsEndedSessionsFromLiveOnesAndAnswersOnTheRequestsOwnLoop() {
    URI redis = TestInfrastructure.redis();
    ReactiveStringRedisTemplate template = redisAt(redis.getHost(), redis.getPort());
    String ended = "sid-" + UUID.randomUUID();
    String live = "sid-" + UUID.randomUUID();
    template
        .opsForValue()
        .set(RevokedTokens.sessionKey(ended), "1", Duration.ofMinutes(1))
        .block(Duration.ofSeconds(5));
    RevocationCheck check =
        new RevocationCheck(template, Duration.ofSeconds(2), Duration.ofSeconds(2), 100);
    AtomicReference<String> answeredOn = new AtomicReference<>();

    // Redis holds its answer back a moment, so it arrives (on Lettuce's thread) after the request
    // is waiting for it, as it does in the gateway; an answer already there would be taken on the
    // waiting thread itself.
    pauseRedis(redis, 300);
    Boolean endedAnswer =
        check
            .isRevoked(ended, "1", Instant.now(), requestLoop)
            .doOnNext(x -> answeredOn.set(Thread.currentThread().getName()))
            .block(Duration.ofSeconds(5));

    assertThat(endedAnswer).isTrue();
    // Not on Lettuce's I/O thread, which every request shares.
    assertThat(answeredOn.get()).isEqualTo("request-loop");
    assertThat(check.isRevoked(live, "1", Instant.now(), requestLoop).block(Duration.ofSeconds(5)))
        .isFalse();
  }

  @Test
  void aRevokedSubjectLosesTheTokensIssuedBeforeTheChangeAndKeepsLaterOnes() {
    URI redis = TestInfrastructure.redis();
    ReactiveStringRedisTemplate template = redisAt(redis.getHost(), redis.getPort());
    String user = "user-" + UUID.randomUUID();
    Instant change = Instant.parse("2026-12-06T10:00:00Z");
    template
        .opsForValue()
        .set(
            RevokedTokens.subjectKey(user),
            RevokedTokens.subjectValue(change),
            Duration.ofMinutes(1))
        .block(Duration.ofSeconds(5));
    RevocationCheck check =
        new RevocationCheck(template, Duration.ofSeconds(2), Duration.ofSeconds(2), 100);

    assertThat(revoked(check, null, user, change.minusSeconds(60))).isTrue();
    assertThat(revoked(check, "sid-live", user, change)).isTrue(); // same second: before
    assertThat(revoked(check, null, user, change.plusSeconds(1))).isFalse();
    assertThat(revoked(check, null, "someone-else", change.minusSeconds(60))).isFalse();
  }

  private static boolean revoked(
      RevocationCheck check, String session, String subject, Instant issuedAt) {
    return check.isRevoked(session, subject, issuedAt, null).block(Duration.ofSeconds(5));
  }

  private static void pauseRedis(URI redis, long millis) {
    RedisClient client = RedisClient.create(RedisURI.create(redis));
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().clientPause(millis);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void withRedisUnreachableTokensPassAndASessionEndedHereIsStillRefused() throws Exception {
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort(); // closed again: nothing listens there
    }
    RevocationCheck check =
        new RevocationCheck(
            redisAt("127.0.0.1", deadPort), Duration.ofSeconds(2), Duration.ofMillis(200), 100);

    assertThat(revoked(check, "sid-unknown", "1", Instant.now())).isFalse();
    check.endedHere("sid-logged-out");
    assertThat(revoked(check, "sid-logged-out", "1", Instant.now())).isTrue();
  }
}
