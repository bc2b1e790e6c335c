package dev.cumulus.platform.instance;

import dev.cumulus.platform.events.Inbox;
import dev.cumulus.platform.events.InboxConsumer;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.registry.ServiceRegistry;
import java.time.Duration;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The instance registry of a service that hosts seed 000 instances: present when the service's
 * entry in services.yml has {@code instance-types}. The consumer bean is {@code
 * serviceInstanceEvents}; its binding (topic, group) comes from the platform defaults.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(InstanceConfiguration.HostsInstances.class)
public class InstanceConfiguration {

  @Bean
  InstanceRepository cumulusInstanceRepository(DatabaseClient db) {
    return new InstanceRepository(db);
  }

  @Bean
  InstanceRegistry instanceRegistry(
      InstanceRepository instances,
      ObjectProvider<InstanceProvisioner> provisioner,
      Outbox outbox,
      @Value("${spring.application.name}") String application,
      @Value("${cumulus.instances.cache-ttl:5s}") Duration cacheTtl) {
    return new InstanceRegistry(
        instances,
        provisioner.getIfAvailable(() -> NOTHING_TO_PROVISION),
        outbox,
        Set.copyOf(typesOf(application)),
        cacheTtl);
  }

  @Bean
  InstanceAccess instanceAccess(InstanceRegistry registry) {
    return new InstanceAccess(registry);
  }

  @Bean
  InboxConsumer serviceInstanceEvents(
      Inbox inbox,
      InstanceRegistry registry,
      ObjectMapper json,
      @Value("${spring.application.name}") String application) {
    return new InboxConsumer(
        inbox, application + "-instances", new InstanceEvents(registry, json)::handle);
  }

  private static final InstanceProvisioner NOTHING_TO_PROVISION =
      new InstanceProvisioner() {
        @Override
        public Mono<Void> provision(Instance instance) {
          return Mono.empty();
        }

        @Override
        public Mono<Void> deprovision(Instance instance) {
          return Mono.empty();
        }
      };

  static java.util.List<String> typesOf(String application) {
    return ServiceRegistry.packaged()
        .service(application)
        .map(ServiceRegistry.Service::instanceTypes)
        .orElse(java.util.List.of());
  }

  /** The service's registry entry names instance types. */
  static class HostsInstances implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String application = context.getEnvironment().getProperty("spring.application.name", "");
      return !typesOf(application).isEmpty();
    }
  }
}
