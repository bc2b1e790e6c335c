package dev.cumulus.storage.lifecycle.config;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.lease.AdvisoryLease;
import dev.cumulus.platform.lease.LeasedPeriodicWork;
import dev.cumulus.storage.lifecycle.application.LifecycleWorker;
import dev.cumulus.storage.lifecycle.persistence.LifecycleRepository;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectDeleter;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Runs the lifecycle worker once shortly after start-up and then every interval. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LifecycleProperties.class)
public class LifecycleSchedule {

  @Bean
  LifecycleWorker lifecycleWorker(
      LifecycleRepository repository,
      InstanceRegistry instances,
      ObjectDeleter objects,
      MultipartService multipart,
      LifecycleProperties properties,
      ObjectProvider<Clock> clock) {
    return new LifecycleWorker(
        repository,
        instances,
        objects,
        multipart,
        clock.getIfAvailable(Clock::systemUTC),
        properties.lease());
  }

  /** The name every replica's lifecycle passes take their lease under. */
  public static final String LEASE = "storage-lifecycle";

  /**
   * A pass shortly after start-up and then every interval, one replica at a time (the database
   * lease; buckets are leased one by one as well, for a pass that outlives its replica's session).
   */
  @Bean
  @ConditionalOnProperty(
      name = "cumulus.storage.lifecycle.enabled",
      havingValue = "true",
      matchIfMissing = true)
  LeasedPeriodicWork lifecyclePasses(
      LifecycleWorker worker, LifecycleProperties properties, ConnectionFactory connectionFactory) {
    return new LeasedPeriodicWork(
        new AdvisoryLease(connectionFactory, LEASE),
        properties.initialDelay(),
        properties.interval(),
        worker::run);
  }
}
