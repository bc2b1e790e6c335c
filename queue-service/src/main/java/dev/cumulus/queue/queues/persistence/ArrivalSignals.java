package dev.cumulus.queue.queues.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Tells every replica's waiting receivers that queues got something to receive, by {@code NOTIFY}
 * on {@value MessageRepository#CHANNEL}, <em>after</em> the writes committed and outside their
 * transactions.
 *
 * <p>Why not in the writing transaction: PostgreSQL serialises the commits of notifying
 * transactions cluster-wide (a database-wide lock from pre-commit until after the WAL flush), so
 * sends that NOTIFY cannot share a WAL flush. Here the durable writes commit (and group) freely;
 * the NOTIFY runs in a transaction of its own that writes no data, committed with {@code
 * synchronous_commit = off}, so it holds that lock only briefly.
 *
 * <p>Signals coalesce: at most one NOTIFY statement is in the database at a time; queues signalled
 * meanwhile go together in the next one. A receiver looks at the queue only after it listens, and a
 * signal raised after a commit is sent by a statement that starts after it was raised, so a
 * receiver never misses a committed message. This replica's own receivers are woken at once as
 * well, without waiting for the NOTIFY to come back.
 */
@Component
public class ArrivalSignals {

  private static final Logger log = LoggerFactory.getLogger(ArrivalSignals.class);

  private final DatabaseClient db;
  private final MessageNotifications notifications;
  private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean sending = new AtomicBoolean();

  public ArrivalSignals(DatabaseClient db, MessageNotifications notifications) {
    this.db = db;
    this.notifications = notifications;
  }

  /** Signals that {@code queueId}'s committed writes may let a waiting receiver take something. */
  public void signal(UUID queueId) {
    notifications.arrivedHere(queueId);
    pending.add(queueId);
    drain();
  }

  /**
   * Starts a NOTIFY statement unless one is running. The one finishing clears {@code sending}
   * before it drains again, and a signaller adds before it drains, so no queue stays pending.
   */
  private void drain() {
    while (!pending.isEmpty() && sending.compareAndSet(false, true)) {
      List<String> queues = new ArrayList<>();
      for (UUID id : pending) {
        if (pending.remove(id)) {
          queues.add(id.toString());
        }
      }
      if (queues.isEmpty()) {
        sending.set(false);
        continue;
      }
      notifyAll(queues)
          .doOnError(e -> log.warn("NOTIFY of {} queues failed: {}", queues.size(), e.toString()))
          .onErrorComplete()
          .doFinally(
              signal -> {
                sending.set(false);
                drain();
              })
          .subscribe();
    }
  }

  /** One NOTIFY per queue, one statement (its own transaction, not waiting for a WAL flush). */
  private Mono<Void> notifyAll(List<String> queues) {
    return db.sql(
            "SELECT set_config('synchronous_commit', 'off', true),"
                + " pg_notify('"
                + MessageRepository.CHANNEL
                + "', q) FROM unnest(:queues::text[]) AS q")
        .bind("queues", queues.toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }
}
