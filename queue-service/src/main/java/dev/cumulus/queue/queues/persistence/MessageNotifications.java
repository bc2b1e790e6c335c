package dev.cumulus.queue.queues.persistence;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Message arrivals on any replica, as PostgreSQL {@code NOTIFY}s on {@value
 * MessageRepository#CHANNEL} (sent in the transaction of a send, so they arrive once it commits).
 * One connection of its own, outside the pool, stays in {@code LISTEN}; it reconnects after a
 * failure and then wakes every waiting receiver, which may have missed a notification meanwhile.
 */
@Component
public class MessageNotifications {

  /** Emitted to every waiter: after a reconnect, anything may have arrived. */
  public static final UUID EVERY_QUEUE = new UUID(0, 0);

  private static final Logger log = LoggerFactory.getLogger(MessageNotifications.class);

  private final ConnectionFactory connections;
  private final Sinks.Many<UUID> arrivals = Sinks.many().multicast().directBestEffort();
  private volatile Disposable listening;

  public MessageNotifications(
      @Value("${spring.r2dbc.url}") String url,
      @Value("${spring.r2dbc.username}") String username,
      @Value("${spring.r2dbc.password}") String password) {
    ConnectionFactoryOptions.Builder options =
        ConnectionFactoryOptions.parse(url)
            .mutate()
            .option(ConnectionFactoryOptions.USER, username);
    if (!password.isEmpty()) {
      options.option(ConnectionFactoryOptions.PASSWORD, password);
    }
    this.connections = ConnectionFactories.get(options.build());
  }

  /** Queue ids that got a message (or {@link #EVERY_QUEUE}); hot, nothing is replayed. */
  public Flux<UUID> arrivals() {
    return arrivals.asFlux();
  }

  @EventListener(ApplicationReadyEvent.class)
  void listen() {
    listening =
        Mono.usingWhen(
                Mono.from(connections.create()).cast(PostgresqlConnection.class),
                connection ->
                    connection
                        .createStatement("LISTEN " + MessageRepository.CHANNEL)
                        .execute()
                        .flatMap(PostgresqlResult::getRowsUpdated)
                        .then(Mono.fromRunnable(() -> emit(EVERY_QUEUE)))
                        .thenMany(connection.getNotifications())
                        .doOnNext(n -> emit(parse(n.getParameter())))
                        .then(),
                connection -> connection.close())
            .doOnError(e -> log.warn("Listening for queue messages failed: {}", e.toString()))
            // The connection ended: listen again on a new one.
            .repeat()
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
                    .maxBackoff(Duration.ofSeconds(5)))
            .subscribe();
  }

  @PreDestroy
  void stop() {
    Disposable current = listening;
    if (current != null) {
      current.dispose();
    }
  }

  /**
   * A commit on this replica made something receivable in {@code queueId}: its waiters wake now,
   * without waiting for the NOTIFY's round trip through PostgreSQL (which still wakes the other
   * replicas' waiters, and these ones once more: harmless, they just look again).
   */
  public void arrivedHere(UUID queueId) {
    emit(queueId);
  }

  private void emit(UUID queueId) {
    if (queueId != null) {
      // Emitters are the listening connection and this replica's committing senders, on any
      // thread: an emission that meets a concurrent one is retried (each takes microseconds).
      // Waiters that cannot keep up miss a signal, which only makes them look again at their next
      // wake-up.
      for (int attempt = 0;
          attempt < 10_000 && arrivals.tryEmitNext(queueId) == Sinks.EmitResult.FAIL_NON_SERIALIZED;
          attempt++) {
        Thread.onSpinWait();
      }
    }
  }

  private static UUID parse(String payload) {
    try {
      return payload == null ? null : UUID.fromString(payload);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
