package dev.cumulus.gateway.metrics;

import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Adds the in-memory counters to Redis every flush interval, one flush at a time (a slow Redis
 * delays the next flush rather than piling them up), and whatever is left at shutdown.
 */
class InstanceMetricsFlusher implements SmartLifecycle {

  private final InstanceTraffic traffic;
  private final InstanceMetricsStore store;
  private final InstanceMetricsProperties properties;
  private volatile Disposable running;

  InstanceMetricsFlusher(
      InstanceTraffic traffic, InstanceMetricsStore store, InstanceMetricsProperties properties) {
    this.traffic = traffic;
    this.store = store;
    this.properties = properties;
  }

  @Override
  public void start() {
    running =
        Flux.interval(properties.flushInterval(), properties.flushInterval())
            .onBackpressureDrop()
            .concatMap(tick -> store.add(traffic.drain()), 1)
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable flushing = running;
    running = null;
    if (flushing != null) {
      flushing.dispose();
      // Shutdown may block: this is not an event loop.
      store.add(traffic.drainAll()).block(properties.flushInterval().plusSeconds(5));
    }
  }

  @Override
  public boolean isRunning() {
    return running != null;
  }
}
