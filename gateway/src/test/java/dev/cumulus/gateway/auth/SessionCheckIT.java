package dev.cumulus.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.security.EndedSessions;
import dev.cumulus.platform.testsupport.TestInfrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The ended-session check against the real Redis, and against none. */
class SessionCheckIT {

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
        .set(EndedSessions.redisKey(ended), "1", Duration.ofMinutes(1))
        .block(Duration.ofSeconds(5));
    SessionCheck check =
        new SessionCheck(template, Duration.ofSeconds(2), Duration.ofSeconds(2), 100);
    AtomicReference<String> answeredOn = new AtomicReference<>();

    // Redis holds its answer back a moment, so it arrives (on Lettuce's thread) after the request
    // is waiting for it, as it does in the gateway; an answer already there would be taken on the
    // waiting thread itself.
    pauseRedis(redis, 300);
    Boolean endedAnswer =
        check
            .hasEnded(ended, requestLoop)
            .doOnNext(x -> answeredOn.set(Thread.currentThread().getName()))
            .block(Duration.ofSeconds(5));

    assertThat(endedAnswer).isTrue();
    // Not on Lettuce's I/O thread, which every request shares.
    assertThat(answeredOn.get()).isEqualTo("request-loop");
    assertThat(check.hasEnded(live, requestLoop).block(Duration.ofSeconds(5))).isFalse();
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
    SessionCheck check =
        new SessionCheck(
            redisAt("127.0.0.1", deadPort), Duration.ofSeconds(2), Duration.ofMillis(200), 100);

    assertThat(check.hasEnded("sid-unknown", requestLoop).block(Duration.ofSeconds(5))).isFalse();
    check.endedHere("sid-logged-out");
    assertThat(check.hasEnded("sid-logged-out", requestLoop).block(Duration.ofSeconds(5))).isTrue();
  }
}
