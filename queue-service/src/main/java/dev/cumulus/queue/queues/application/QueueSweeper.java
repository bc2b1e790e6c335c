package dev.cumulus.queue.queues.application;

import dev.cumulus.platform.schedule.PeriodicWork;
import dev.cumulus.queue.config.QueueProperties;
import dev.cumulus.queue.queues.persistence.MessageRepository;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Removes what has expired: messages past their retention period (receives already skip them),
 * deduplication ids older than 5 minutes and idle empty FIFO groups. Every replica sweeps; the
 * deletes are idempotent.
 */
@Component
public class QueueSweeper extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(QueueSweeper.class);

  private final MessageRepository messages;
  private final QueueProperties properties;

  public QueueSweeper(MessageRepository messages, QueueProperties properties) {
    super("Sweeping expired messages");
    this.messages = messages;
    this.properties = properties;
  }

  @Override
  protected Duration interval() {
    return properties.sweepInterval();
  }

  @Override
  protected Mono<Long> runOnce() {
    return messages
        .sweep()
        .doOnNext(
            n -> {
              if (n > 0) {
                log.debug("Removed {} expired messages", n);
              }
            });
  }
}
