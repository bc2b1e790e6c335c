package dev.cumulus.queue.queues.application;

import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.persistence.MessageRepository;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes what has expired: messages past their retention period (receives already skip them),
 * deduplication ids older than 5 minutes and idle empty FIFO groups. Every replica sweeps; the
 * deletes are idempotent.
 */
@Component
public class QueueSweeper {

  private static final Logger log = LoggerFactory.getLogger(QueueSweeper.class);

  private final MessageRepository messages;
  private final QueueProperties properties;
  private volatile Disposable running;

  public QueueSweeper(MessageRepository messages, QueueProperties properties) {
    this.messages = messages;
    this.properties = properties;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    running =
        Flux.interval(properties.sweepInterval())
            .concatMap(
                tick ->
                    messages
                        .sweep()
                        .doOnNext(
                            n -> {
                              if (n > 0) {
                                log.debug("Removed {} expired messages", n);
                              }
                            })
                        .onErrorResume(
                            e -> {
                              log.warn("Sweeping expired messages failed: {}", e.toString());
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @PreDestroy
  void stop() {
    Disposable current = running;
    if (current != null) {
      current.dispose();
    }
  }
}
