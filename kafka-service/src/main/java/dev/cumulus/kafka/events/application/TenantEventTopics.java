package dev.cumulus.kafka.events.application;

import dev.cumulus.kafka.config.KafkaServiceProperties;
import dev.cumulus.kafka.topics.application.KafkaClients;
import dev.cumulus.kafka.topics.domain.TopicNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The tenants' event topics ({@code tenant.<tenantId>.events}), created with their settings the
 * first time a tenant has an event or asks for credentials, rather than by broker auto-creation.
 */
@Component
public class TenantEventTopics {

  private final Admin admin;
  private final KafkaServiceProperties.TenantEvents settings;
  private final Set<String> created = ConcurrentHashMap.newKeySet();

  public TenantEventTopics(KafkaClients clients, KafkaServiceProperties properties) {
    this.admin = clients.admin();
    this.settings = properties.tenantEvents();
  }

  /** The tenant's event topic, created when missing. */
  public Mono<String> ensure(String tenantId) {
    String topic = TopicNames.eventTopic(tenantId);
    if (created.contains(topic)) {
      return Mono.just(topic);
    }
    NewTopic newTopic =
        new NewTopic(topic, Optional.of(settings.partitions()), Optional.empty())
            .configs(Map.of("retention.ms", Long.toString(settings.retention().toMillis())));
    return Mono.fromCompletionStage(admin.createTopics(List.of(newTopic)).all().toCompletionStage())
        .onErrorResume(e -> isTopicExists(e), e -> Mono.empty())
        .then(Mono.fromRunnable(() -> created.add(topic)))
        .thenReturn(topic);
  }

  private static boolean isTopicExists(Throwable e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof TopicExistsException) {
        return true;
      }
      cause = cause.getCause();
    }
    return false;
  }
}
