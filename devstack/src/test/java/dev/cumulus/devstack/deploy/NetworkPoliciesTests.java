package dev.cumulus.devstack.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/k8s/base/network-policies.yaml, evaluated against the pods' labels: only the gateway is
 * reachable from anywhere; every other service admits only the gateway and Prometheus, and
 * auth-service also every Cumulus pod (its /internal API). Policies are additive, so a service's
 * admitted peers are the union over the policies selecting it.
 */
class NetworkPoliciesTests {

  private static final Path BASE = Path.of("..", "deploy", "k8s", "base");

  private static final Map<String, String> GATEWAY_POD = pod("gateway");
  private static final Map<String, String> PROMETHEUS_POD =
      Map.of("app.kubernetes.io/name", "prometheus");
  private static final Map<String, String> STRANGER_POD = Map.of("app", "something-else");

  @Test
  void onlyTheGatewayIsOpenAndServicesAdmitTheGatewayAndPrometheus() throws IOException {
    List<Map<String, Object>> policies = policies();
    assertTrue(admits(policies, GATEWAY_POD, STRANGER_POD), "gateway from anywhere");
    for (String service :
        List.of(
            "storage-service",
            "database-service",
            "queue-service",
            "function-service",
            "kafka-service",
            "updater-service",
            "commerce-service",
            "integration-service")) {
      Map<String, String> pod = pod(service);
      assertTrue(admits(policies, pod, GATEWAY_POD), service + " from the gateway");
      assertTrue(admits(policies, pod, PROMETHEUS_POD), service + " from Prometheus");
      assertFalse(admits(policies, pod, STRANGER_POD), service + " from other pods");
      assertFalse(admits(policies, pod, pod("queue-service")), service + " from another service");
    }
    Map<String, String> auth = pod("auth-service");
    assertTrue(admits(policies, auth, pod("queue-service")), "auth-service from a service");
    assertFalse(admits(policies, auth, STRANGER_POD), "auth-service from other pods");
  }

  private static Map<String, String> pod(String name) {
    return Map.of(
        "app.kubernetes.io/name", name,
        "app.kubernetes.io/component", "service",
        "app.kubernetes.io/part-of", "cumulus");
  }

  /** Whether {@code peer} may connect to {@code target} (no policy selecting it: open). */
  private static boolean admits(
      List<Map<String, Object>> policies, Map<String, String> target, Map<String, String> peer) {
    List<Map<String, Object>> selecting =
        policies.stream()
            .filter(policy -> selects(map(map(policy.get("spec")).get("podSelector")), target))
            .toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (Map<String, Object> policy : selecting) {
      for (Map<String, Object> rule : maps(map(policy.get("spec")).get("ingress"))) {
        List<Map<String, Object>> from = maps(rule.get("from"));
        if (from.isEmpty()) {
          return true; // a rule without "from" admits every peer
        }
        for (Map<String, Object> source : from) {
          Map<String, Object> selector = map(source.get("podSelector"));
          if (!selector.isEmpty() && selects(selector, peer)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A label selector (matchLabels, and matchExpressions with In/NotIn) against pod labels. */
  private static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
    for (Map.Entry<String, Object> label : map(selector.get("matchLabels")).entrySet()) {
      if (!String.valueOf(label.getValue()).equals(labels.get(label.getKey()))) {
        return false;
      }
    }
    for (Map<String, Object> expression : maps(selector.get("matchExpressions"))) {
      String value = labels.get(String.valueOf(expression.get("key")));
      boolean listed = ((List<?>) expression.get("values")).contains(value);
      String operator = String.valueOf(expression.get("operator"));
      if (operator.equals("In") != listed) {
        return false;
      }
    }
    return true;
  }

  private static List<Map<String, Object>> policies() throws IOException {
    LoaderOptions options = new LoaderOptions();
    List<Map<String, Object>> policies = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(BASE.resolve("network-policies.yaml"))) {
      for (Object document : new Yaml(new SafeConstructor(options)).loadAll(reader)) {
        Map<String, Object> object = map(document);
        if ("NetworkPolicy".equals(object.get("kind"))) {
          policies.add(object);
        }
      }
    }
    assertFalse(policies.isEmpty(), "no NetworkPolicy in network-policies.yaml");
    return policies;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Object value) {
    return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }
}
