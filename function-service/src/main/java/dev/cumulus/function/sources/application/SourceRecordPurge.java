package dev.cumulus.function.sources.application;

import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes event source records finished more than a day ago. They are kept that long so that a
 * source handing the same record out again is recognised and not delivered twice.
 */
@Component
class SourceRecordPurge extends PeriodicWork {

  private static final Duration KEEP_FINISHED = Duration.ofDays(1);

  private final EventSourceMappingRepository mappings;

  SourceRecordPurge(EventSourceMappingRepository mappings) {
    super("Event source record purge");
    this.mappings = mappings;
  }

  @Override
  protected Duration interval() {
    return Duration.ofMinutes(10);
  }

  @Override
  protected Mono<?> runOnce() {
    return mappings.purge(KEEP_FINISHED);
  }
}
