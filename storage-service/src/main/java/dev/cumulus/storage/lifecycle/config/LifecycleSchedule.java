package dev.cumulus.storage.lifecycle.config;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.lifecycle.application.LifecycleWorker;
import dev.cumulus.storage.lifecycle.persistence.LifecycleRepository;
import dev.cumulus.storage.multipart.application.MultipartService;
import dev.cumulus.storage.object.application.ObjectDeleter;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Runs the lifecycle worker once shortly after start-up and then every interval. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LifecycleProperties.class)
public class LifecycleSchedule {

  private static final Logger log = LoggerFactory.getLogger(LifecycleSchedule.class);

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

  @Bean
  SmartLifecycle lifecyclePasses(LifecycleWorker worker, LifecycleProperties properties) {
    return new SmartLifecycle() {
      private Disposable passes;

      @Override
      public void start() {
        if (!properties.enabled()) {
          return;
        }
        // A pass that outlasts the interval makes the next tick wait, never overlap.
        passes =
            Flux.interval(properties.initialDelay(), properties.interval())
                .onBackpressureDrop()
                .concatMap(
                    tick ->
                        worker
                            .run()
                            .onErrorResume(
                                e -> {
                                  log.warn("Lifecycle pass failed", e);
                                  return Mono.empty();
                                }),
                    1)
                .subscribe();
      }

      @Override
      public void stop() {
        if (passes != null) {
          passes.dispose();
          passes = null;
        }
      }

      @Override
      public boolean isRunning() {
        return passes != null;
      }
    };
  }
}
