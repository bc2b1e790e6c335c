package dev.cumulus.integration.mail.application;

import dev.cumulus.integration.mail.config.MailProperties;
import dev.cumulus.integration.mail.domain.MailTemplate;
import dev.cumulus.integration.mail.persistence.MailRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Queues a notification e-mail in the caller's transaction (the mail exists exactly when the
 * notification does); {@link MailRelay} sends it and retries until SendGrid takes it.
 */
@Service
public class MailQueue {

  private final MailRepository mails;
  private final MailProperties properties;
  private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

  public MailQueue(MailRepository mails, MailProperties properties) {
    this.mails = mails;
    this.properties = properties;
  }

  public Mono<Void> notificationMail(
      String tenantId,
      String tenantDomain,
      long notificationId,
      String to,
      String title,
      String message,
      String level) {
    MailProperties.Branding b = properties.branding();
    MailTemplate.Rendered mail =
        MailTemplate.render(
            new MailTemplate.Brand(b.productName(), b.primaryColor(), b.logoUrl(), b.footer()),
            tenantDomain,
            title,
            message,
            level);
    return mails
        .enqueue(tenantId, notificationId, to, mail.subject(), mail.text(), mail.html())
        .then(wakeAfterCommit());
  }

  Flux<Boolean> wakeups() {
    return wakeups.asFlux();
  }

  private Mono<Void> wakeAfterCommit() {
    return TransactionSynchronizationManager.forCurrentTransaction()
        .doOnNext(
            tx ->
                tx.registerSynchronization(
                    new TransactionSynchronization() {
                      @Override
                      public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(() -> wakeups.tryEmitNext(true));
                      }
                    }))
        .onErrorResume(e -> Mono.fromRunnable(() -> wakeups.tryEmitNext(true)).then(Mono.empty()))
        .then();
  }
}
