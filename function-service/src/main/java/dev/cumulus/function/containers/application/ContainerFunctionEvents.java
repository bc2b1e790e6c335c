package dev.cumulus.function.containers.application;

import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.platform.events.Outbox;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code dev.cumulus.function.container.{created,deleted,invoked,failed,status-changed}.v1} on the
 * service's topic, through the outbox (callers run them in the transaction of the change).
 */
@Component
public class ContainerFunctionEvents {

  /** The topic of every function-service event. */
  static final String TOPIC = "cumulus.function";

  private final Outbox outbox;

  public ContainerFunctionEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  Mono<Void> created(ContainerFunction f) {
    return emit(f, "created", Map.of());
  }

  Mono<Void> deleted(ContainerFunction f) {
    return emit(f, "deleted", Map.of());
  }

  Mono<Void> invoked(ContainerFunction f, String jobName) {
    return emit(f, "invoked", Map.of("job_name", jobName));
  }

  /** A job that exited with a non-zero code. */
  Mono<Void> jobFailed(ContainerFunction f, String jobName, int exitCode) {
    return emit(f, "failed", Map.of("job_name", jobName, "exit_code", exitCode));
  }

  Mono<Void> statusChanged(ContainerFunction f, String status, int available) {
    return emit(
        f,
        "status-changed",
        Map.of("previous_status", f.status(), "status", status, "available_replicas", available));
  }

  private Mono<Void> emit(ContainerFunction f, String verb, Map<String, Object> extra) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", f.id().toString());
    data.put("name", f.name());
    data.put("namespace", f.namespace());
    data.put("image", f.image());
    data.put("replicas", f.replicas());
    data.putAll(extra);
    return outbox
        .appendForTenant(f.tenantId(), TOPIC, "container/" + f.id(), "container", verb, data)
        .then();
  }
}
