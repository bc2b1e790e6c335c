package dev.cumulus.kafka.restv3.web;

import dev.cumulus.kafka.topics.application.TopicService;
import dev.cumulus.kafka.topics.domain.KafkaErrors;
import dev.cumulus.platform.error.ErrorKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Confluent v3's topic configs: list, read one, set one ({@code PUT}), reset one to the broker's
 * default ({@code DELETE}) and several at once ({@code POST configs:alter}). Only the configs of
 * {@link dev.cumulus.kafka.topics.domain.TopicConfigPolicy} can be changed (403 otherwise).
 */
@RestController
@RequestMapping("/kafka/v3/clusters/{clusterId}/topics/{topic}")
public class ConfluentV3ConfigController extends V3Endpoints {

  private final TopicService topics;

  public ConfluentV3ConfigController(V3Clusters clusters, TopicService topics) {
    super(clusters);
    this.topics = topics;
  }

  public record ConfigValue(String value) {}

  /** One change of {@code configs:alter}: {@code operation} SET (default) or DELETE. */
  public record AlterEntry(String name, String value, String operation) {}

  public record AlterBatch(List<AlterEntry> data) {}

  @GetMapping("/configs")
  Mono<Map<String, Object>> list(@PathVariable String clusterId, @PathVariable String topic) {
    String self = self(clusterId, topic);
    return names(clusterId)
        .flatMap(names -> topics.configEntries(names, topic))
        .map(
            entries ->
                list(
                    "KafkaTopicConfigList",
                    self,
                    entries.stream().map(e -> config(clusterId, topic, e)).toList()));
  }

  @GetMapping("/configs/{name}")
  Mono<Map<String, Object>> get(
      @PathVariable String clusterId, @PathVariable String topic, @PathVariable String name) {
    return names(clusterId)
        .flatMap(names -> topics.configEntries(names, topic))
        .map(
            entries ->
                entries.stream()
                    .filter(e -> e.name().equals(name))
                    .findFirst()
                    .map(e -> config(clusterId, topic, e))
                    .orElseThrow(
                        () ->
                            KafkaErrors.of(
                                ErrorKind.NOT_FOUND,
                                "ConfigNotFound",
                                "Config " + name + " not found")));
  }

  @PutMapping("/configs/{name}")
  Mono<ResponseEntity<Void>> set(
      @PathVariable String clusterId,
      @PathVariable String topic,
      @PathVariable String name,
      @RequestBody ConfigValue body) {
    if (body.value() == null) {
      throw KafkaErrors.missingParameter("value");
    }
    return alter(clusterId, topic, Map.of(name, body.value()), Set.of());
  }

  @DeleteMapping("/configs/{name}")
  Mono<ResponseEntity<Void>> reset(
      @PathVariable String clusterId, @PathVariable String topic, @PathVariable String name) {
    return alter(clusterId, topic, Map.of(), Set.of(name));
  }

  @PostMapping("/configs:alter")
  Mono<ResponseEntity<Void>> alterBatch(
      @PathVariable String clusterId, @PathVariable String topic, @RequestBody AlterBatch body) {
    if (body.data() == null || body.data().isEmpty()) {
      throw KafkaErrors.missingParameter("data");
    }
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> reset = new java.util.LinkedHashSet<>();
    for (AlterEntry entry : body.data()) {
      if (entry == null) {
        throw KafkaErrors.invalidRequest("data must not hold null");
      }
      String operation =
          entry.operation() == null ? "SET" : entry.operation().toUpperCase(Locale.ROOT);
      switch (operation) {
        case "SET" -> {
          if (entry.value() == null) {
            throw KafkaErrors.missingParameter("value of " + entry.name());
          }
          set.put(entry.name(), entry.value());
        }
        case "DELETE" -> reset.add(entry.name());
        default -> throw KafkaErrors.invalidParameter("operation", "SET or DELETE");
      }
    }
    return alter(clusterId, topic, set, reset);
  }

  private Mono<ResponseEntity<Void>> alter(
      String clusterId, String topic, Map<String, String> set, Set<String> reset) {
    return names(clusterId)
        .flatMap(names -> topics.alterConfigs(names, topic, set, reset))
        .thenReturn(ResponseEntity.noContent().build());
  }

  private static Map<String, Object> config(String clusterId, String topic, ConfigEntry e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("kind", "KafkaTopicConfig");
    body.put("metadata", V3Links.metadata(self(clusterId, topic) + "/" + e.name()));
    body.put("cluster_id", clusterId);
    body.put("topic_name", topic);
    body.put("name", e.name());
    body.put("value", e.value());
    body.put("is_default", e.isDefault());
    body.put("is_read_only", e.isReadOnly());
    body.put("is_sensitive", e.isSensitive());
    body.put("source", e.source().name());
    return body;
  }

  private static String self(String clusterId, String topic) {
    return "/kafka/v3/clusters/" + clusterId + "/topics/" + topic + "/configs";
  }
}
