package dev.cumulus.integration.mail.application;

import dev.cumulus.integration.mail.config.MailProperties;
import dev.cumulus.integration.mail.persistence.MailRepository;
import dev.cumulus.integration.mail.persistence.MailRepository.PendingMail;
import dev.cumulus.platform.schedule.PeriodicWork;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends queued mails: claimed with SKIP LOCKED and a lease (a node dying mid-send leaves the mail
 * to be sent again), retried on the configured delays, the last delay repeating: a mail is never
 * dropped, however long SendGrid is away. A mail SendGrid refuses for good (a permanent 4xx, see
 * {@link MailRefusedException#permanent}) is not retried: it becomes a dead letter its tenant sees
 * at {@code /api/integrations/mail/dead-letters/}.
 */
@Component
class MailRelay extends PeriodicWork {

  private static final Logger log = LoggerFactory.getLogger(MailRelay.class);
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final int BATCH = 20;

  private final MailRepository mails;
  private final SendGridMailer mailer;
  private final MailQueue queue;
  private final MailProperties properties;

  MailRelay(
      MailRepository mails, SendGridMailer mailer, MailQueue queue, MailProperties properties) {
    super("Sending queued mails");
    this.mails = mails;
    this.mailer = mailer;
    this.queue = queue;
    this.properties = properties;
  }

  @Override
  protected Duration interval() {
    return properties.pollInterval();
  }

  @Override
  protected Flux<?> wakeups() {
    return queue.wakeups();
  }

  @Override
  protected Mono<Void> runOnce() {
    if (!mailer.ready()) {
      return Mono.empty();
    }
    return mails.claim(BATCH, LEASE).flatMap(this::send, 4).then();
  }

  private Mono<Void> send(PendingMail mail) {
    return mailer
        .send(mail)
        .flatMap(id -> mails.sent(mail.id(), id))
        .onErrorResume(e -> isPermanent(e) ? dead(mail, e) : retry(mail, e));
  }

  private static boolean isPermanent(Throwable e) {
    return e instanceof MailRefusedException refused && refused.permanent();
  }

  private Mono<Void> dead(PendingMail mail, Throwable e) {
    log.warn("Mail {} refused for good, kept as a dead letter: {}", mail.id(), e.getMessage());
    return mails.dead(mail.id(), e.getMessage());
  }

  private Mono<Void> retry(PendingMail mail, Throwable e) {
    log.warn("Mail {} not sent (attempt {}): {}", mail.id(), mail.attempts(), e.toString());
    return mails.retryAt(mail.id(), Instant.now().plus(delay(mail.attempts())), e.toString());
  }

  private Duration delay(int attempts) {
    List<Duration> delays = properties.retryDelays();
    return delays.get(Math.min(attempts, delays.size()) - 1);
  }
}
