package dev.cumulus.function.containers.web;

import dev.cumulus.function.containers.persistence.ContainerFunctionRepository;
import dev.cumulus.platform.security.CumulusPrincipal;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Seed 001's {@code GET /metrics}: the {@code eventflow_*} series in Prometheus' text format. The
 * request metrics are the service's (no tenant in them); {@code
 * eventflow_functions_total{namespace, status}} shows the caller's own namespace, every namespace
 * only to a platform administrator.
 */
@RestController
public class EventFlowMetricsController {

  private static final String PREFIX = "eventflow_";

  private final PrometheusMeterRegistry prometheus;
  private final ContainerFunctionRepository functions;

  public EventFlowMetricsController(
      PrometheusMeterRegistry prometheus, ContainerFunctionRepository functions) {
    this.prometheus = prometheus;
    this.functions = functions;
  }

  @GetMapping(value = "/metrics", produces = MediaType.TEXT_PLAIN_VALUE)
  public Mono<String> metrics() {
    return CumulusPrincipal.current()
        .flatMap(
            caller ->
                functions
                    .countsByTenantAndStatus()
                    .filter(c -> caller.isPlatformAdmin() || c.getKey().equals(caller.tenantId()))
                    .map(EventFlowMetricsController::functionsLine)
                    .collectList()
                    .zipWith(
                        Mono.fromCallable(this::requestMetrics)
                            .subscribeOn(Schedulers.boundedElastic()))
                    .map(
                        both ->
                            both.getT2()
                                + "# HELP eventflow_functions_total Total number of functions\n"
                                + "# TYPE eventflow_functions_total gauge\n"
                                + String.join("", both.getT1())));
  }

  /** The registry's {@code eventflow_*} families, with their HELP and TYPE lines. */
  private String requestMetrics() {
    StringBuilder out = new StringBuilder();
    for (String line : prometheus.scrape().split("\n")) {
      String name = line.startsWith("# ") ? line.substring(line.indexOf(' ', 2) + 1) : line;
      if (name.startsWith(PREFIX)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  private static String functionsLine(Map.Entry<String, Map.Entry<String, Long>> count) {
    return "eventflow_functions_total{namespace=\""
        + count.getKey()
        + "\",status=\""
        + count.getValue().getKey()
        + "\"} "
        + count.getValue().getValue()
        + "\n";
  }
}
