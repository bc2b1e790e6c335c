package dev.cumulus.devstack.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 *
 * <p>The production overlay's stores (store-network-policies.yaml, and the Strimzi listener's
 * networkPolicyPeers in operators/kafka.yaml, which Strimzi turns into the policy of the listener's
 * port): each admits exactly the services that use it, which are derived from the build (every
 * service uses Redis through platform; those depending on platform-data also PostgreSQL and Kafka),
 * plus its own peers and operator.
 */
class NetworkPoliciesTests {

  private static final Path ROOT = Path.of("..");
  private static final Path BASE = ROOT.resolve("deploy/k8s/base");
  private static final Path PRODUCTION = ROOT.resolve("deploy/k8s/overlays/production");
  private static final int PG_PORT = 5432;
  private static final int CNPG_STATUS_PORT = 8000;
  private static final int REDIS_PORT = 6379;

  private static final Map<String, String> GATEWAY_POD = pod("gateway");
  private static final Map<String, String> PROMETHEUS_POD =
      Map.of("app.kubernetes.io/name", "prometheus");
  private static final Map<String, String> STRANGER_POD = Map.of("app", "something-else");

  /** The labels of production's namespace, where the policies and the stores live. */
  private static final Map<String, String> OWN_NAMESPACE =
      Map.of("kubernetes.io/metadata.name", "cumulus");

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

  // ---------------------------------------------------------------------------------------------
  // production: the stores

  /** The stores' pods, with the labels their operators give them, and the port clients use. */
  private record Store(String name, Map<String, String> pod, int port, boolean usedByGateway) {}

  /**
   * Built from the operators' custom resources in operators/: CloudNativePG labels a Cluster's pods
   * {@code cnpg.io/cluster: <name>}, Strimzi a Kafka's broker/controller pods {@code
   * strimzi.io/cluster}, {@code strimzi.io/kind: Kafka}, {@code strimzi.io/name: <name>-kafka}, the
   * OT Redis Operator a standalone Redis' pod {@code app: <name>}, {@code redis_setup_type:
   * standalone}, {@code role: standalone}.
   */
  private static List<Store> stores(List<Map<String, Object>> resources) {
    List<Store> stores = new ArrayList<>();
    for (Map<String, Object> resource : resources) {
      String name = String.valueOf(map(resource.get("metadata")).get("name"));
      switch (String.valueOf(resource.get("kind"))) {
        case "Cluster" ->
            stores.add(
                new Store(
                    "PostgreSQL " + name,
                    Map.of("cnpg.io/cluster", name, "cnpg.io/podRole", "instance"),
                    PG_PORT,
                    false));
        case "Kafka" ->
            stores.add(
                new Store(
                    "Kafka " + name,
                    Map.of(
                        "strimzi.io/cluster",
                        name,
                        "strimzi.io/kind",
                        "Kafka",
                        "strimzi.io/name",
                        name + "-kafka",
                        "strimzi.io/pool-name",
                        "dual-role"),
                    plainListener(resource),
                    false));
        case "Redis" ->
            stores.add(
                new Store(
                    "Redis " + name,
                    Map.of("app", name, "redis_setup_type", "standalone", "role", "standalone"),
                    REDIS_PORT,
                    true));
        default -> {}
      }
    }
    return stores;
  }

  @Test
  void everyProductionStoreHasAPolicyAndStrangersCannotReachIt() throws IOException {
    List<Map<String, Object>> resources = productionResources();
    List<Map<String, Object>> policies = productionPolicies(resources);
    List<Store> stores = stores(resources);
    assertEquals(
        List.of("PostgreSQL", "Kafka", "Redis"),
        stores.stream().map(store -> store.name().split(" ")[0]).sorted(STORE_ORDER).toList(),
        "the production overlay's stores");
    for (Store store : stores) {
      assertTrue(
          policies.stream()
              .anyMatch(
                  policy -> selects(map(map(policy.get("spec")).get("podSelector")), store.pod())),
          store.name() + " has no NetworkPolicy: every pod in the namespace reaches it");
      assertFalse(
          admits(policies, store.pod(), new Peer(STRANGER_POD, null), store.port()),
          store.name() + " admits any pod on " + store.port());
      assertFalse(
          admits(policies, store.pod(), new Peer(PROMETHEUS_POD, null), store.port()),
          store.name() + " admits Prometheus on " + store.port());
    }
  }

  /**
   * Every service reaches the stores it uses and no other: all use Redis (platform's revocation
   * check, the gateway's rate limits); the services built on platform-data use PostgreSQL and
   * Kafka, the gateway neither.
   */
  @Test
  void aServiceReachesExactlyTheStoresItUses() throws IOException {
    List<Map<String, Object>> resources = productionResources();
    List<Map<String, Object>> policies = productionPolicies(resources);
    List<Store> stores = stores(resources);
    List<String> problems = new ArrayList<>();
    List<DeployManifestsTests.ServiceModule> services =
        DeployManifestsTests.serviceModules(ROOT.toAbsolutePath().normalize());
    assertFalse(services.isEmpty(), "no services in services.yml");
    for (DeployManifestsTests.ServiceModule service : services) {
      boolean dataService = usesPlatformData(service.name());
      for (Store store : stores) {
        boolean uses = store.usedByGateway() || dataService;
        boolean admitted =
            admits(policies, store.pod(), new Peer(pod(service.name()), null), store.port());
        if (uses != admitted) {
          problems.add(
              service.name()
                  + (uses ? " uses " : " does not use ")
                  + store.name()
                  + " but "
                  + (admitted ? "is" : "is not")
                  + " admitted on "
                  + store.port());
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    // the check above can fail both ways: the gateway is a service without platform-data
    assertFalse(usesPlatformData("gateway"), "the gateway depends on platform-data");
    assertTrue(usesPlatformData("queue-service"), "queue-service without platform-data");
  }

  /**
   * What the operators need: PostgreSQL's instances replicate among themselves (5432) and their
   * instance managers and the CloudNativePG controller reach the status port (8000); Kafka's
   * brokers and controllers keep their replication (9091) and KRaft (9090) ports, which Strimzi's
   * own policy opens to the cluster's pods (modelled from its documentation, see kafkaPolicy); a
   * tenant's client reaches the SCRAM listener.
   */
  @Test
  void theStoresPeerAndOperatorTrafficIsAllowed() throws IOException {
    List<Map<String, Object>> resources = productionResources();
    List<Map<String, Object>> policies = productionPolicies(resources);
    Store postgres = storeNamed(stores(resources), "PostgreSQL");
    Map<String, String> replica =
        Map.of("cnpg.io/cluster", "postgres", "cnpg.io/podRole", "instance");
    Map<String, String> joinJob = Map.of("cnpg.io/cluster", "postgres", "cnpg.io/jobRole", "join");
    for (int port : List.of(PG_PORT, CNPG_STATUS_PORT)) {
      assertTrue(
          admits(policies, postgres.pod(), new Peer(replica, null), port),
          "PostgreSQL from its replica on " + port);
      assertTrue(
          admits(
              policies,
              postgres.pod(),
              new Peer(
                  Map.of("app.kubernetes.io/name", "cloudnative-pg"),
                  Map.of("kubernetes.io/metadata.name", "cnpg-system")),
              port),
          "PostgreSQL from the CloudNativePG controller on " + port);
    }
    assertTrue(
        admits(policies, postgres.pod(), new Peer(joinJob, null), PG_PORT),
        "PostgreSQL from a join job (pg_basebackup)");
    assertFalse(
        admits(
            policies,
            postgres.pod(),
            new Peer(
                Map.of("app.kubernetes.io/name", "cloudnative-pg"),
                Map.of("kubernetes.io/metadata.name", "elsewhere")),
            CNPG_STATUS_PORT),
        "PostgreSQL from a pod calling itself cloudnative-pg in another namespace");
    assertFalse(
        admits(policies, postgres.pod(), new Peer(pod("queue-service"), null), CNPG_STATUS_PORT),
        "PostgreSQL's status port from a service");

    Store kafka = storeNamed(stores(resources), "Kafka");
    for (int port : List.of(9090, 9091)) {
      assertTrue(
          admits(policies, kafka.pod(), new Peer(kafka.pod(), null), port),
          "Kafka from its brokers/controllers on " + port);
      assertFalse(
          admits(policies, kafka.pod(), new Peer(pod("kafka-service"), null), port),
          "Kafka's internal port " + port + " from a service");
    }
    assertTrue(
        admits(policies, kafka.pod(), new Peer(STRANGER_POD, null), 9094),
        "Kafka's tenant listener (SCRAM) from a tenant's client");
  }

  private static final java.util.Comparator<String> STORE_ORDER =
      java.util.Comparator.comparingInt(List.of("PostgreSQL", "Kafka", "Redis")::indexOf);

  private static Store storeNamed(List<Store> stores, String kind) {
    return stores.stream()
        .filter(store -> store.name().startsWith(kind + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in the production overlay"));
  }

  private static boolean usesPlatformData(String service) throws IOException {
    Path pom = ROOT.resolve(service).resolve("pom.xml");
    assertTrue(Files.isRegularFile(pom), pom + " does not exist");
    return Files.readString(pom).contains("<artifactId>platform-data</artifactId>");
  }

  /** The port of the Kafka's listener named "plain", the platform's. */
  private static int plainListener(Map<String, Object> kafka) {
    for (Map<String, Object> listener : listeners(kafka)) {
      if ("plain".equals(listener.get("name"))) {
        return (Integer) listener.get("port");
      }
    }
    throw new AssertionError("the Kafka resource has no listener named plain");
  }

  private static List<Map<String, Object>> listeners(Map<String, Object> kafka) {
    return maps(map(map(kafka.get("spec")).get("kafka")).get("listeners"));
  }

  /**
   * The NetworkPolicy Strimzi's cluster operator creates for a Kafka's broker/controller pods
   * (unless STRIMZI_NETWORK_POLICY_GENERATION is false), as its documentation describes it: the
   * KRaft quorum port 9090 and the replication port 9091 from the cluster's own Kafka pods (9091
   * also from its operators, left out here), and each listener's port from its networkPolicyPeers,
   * or from everyone when the listener has none.
   */
  private static Map<String, Object> kafkaPolicy(Map<String, Object> kafka) {
    String name = String.valueOf(map(kafka.get("metadata")).get("name"));
    Map<String, Object> kafkaPods =
        Map.of(
            "matchLabels",
            Map.of(
                "strimzi.io/cluster",
                name,
                "strimzi.io/kind",
                "Kafka",
                "strimzi.io/name",
                name + "-kafka"));
    List<Map<String, Object>> ingress = new ArrayList<>();
    for (int port : List.of(9090, 9091)) {
      ingress.add(
          Map.of(
              "ports", List.of(Map.of("port", port)),
              "from", List.of(Map.of("podSelector", kafkaPods))));
    }
    for (Map<String, Object> listener : listeners(kafka)) {
      Map<String, Object> rule = new java.util.HashMap<>();
      rule.put("ports", List.of(Map.of("port", listener.get("port"))));
      Object peers = listener.get("networkPolicyPeers");
      if (peers != null) {
        rule.put("from", peers);
      }
      ingress.add(rule);
    }
    return Map.of(
        "kind",
        "NetworkPolicy",
        "metadata",
        Map.of("name", name + "-network-policy-kafka"),
        "spec",
        Map.of("podSelector", kafkaPods, "ingress", ingress));
  }

  /** The objects of the plain files production's kustomization lists (base's in its own test). */
  private static List<Map<String, Object>> productionResources() throws IOException {
    Map<String, Object> kustomization = load(PRODUCTION.resolve("kustomization.yaml")).getFirst();
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Object entry : (List<?>) kustomization.get("resources")) {
      Path file = PRODUCTION.resolve(String.valueOf(entry)).normalize();
      if (Files.isRegularFile(file)) {
        resources.addAll(load(file));
      }
    }
    return resources;
  }

  /** Base's policies, the overlay's and those Strimzi generates from the Kafka resource. */
  private static List<Map<String, Object>> productionPolicies(List<Map<String, Object>> resources)
      throws IOException {
    List<Map<String, Object>> policies = new ArrayList<>(policies());
    for (Map<String, Object> resource : resources) {
      if ("NetworkPolicy".equals(resource.get("kind"))) {
        policies.add(resource);
      } else if ("Kafka".equals(resource.get("kind"))) {
        policies.add(kafkaPolicy(resource));
      }
    }
    return policies;
  }

  private static List<Map<String, Object>> load(Path file) throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
        if (document instanceof Map<?, ?>) {
          documents.add(map(document));
        }
      }
    }
    return documents;
  }

  private static Map<String, String> pod(String name) {
    return Map.of(
        "app.kubernetes.io/name", name,
        "app.kubernetes.io/component", "service",
        "app.kubernetes.io/part-of", "cumulus");
  }

  /** Whether {@code peer} may connect to {@code target} on any port. */
  private static boolean admits(
      List<Map<String, Object>> policies, Map<String, String> target, Map<String, String> peer) {
    return admits(policies, target, new Peer(peer, null), null);
  }

  /**
   * A pod connecting: its labels and, when it runs in another namespace, that namespace's labels
   * (null: the policies' namespace).
   */
  private record Peer(Map<String, String> labels, Map<String, String> namespace) {}

  /**
   * Whether {@code peer} may connect to {@code target} on {@code port} (null: any port the rule
   * names), as NetworkPolicy decides it: no policy selecting the target leaves it open; otherwise
   * some ingress rule of a selecting policy must match the port and the peer. A "from" entry with a
   * podSelector alone means the policy's namespace, with a namespaceSelector alone every pod of the
   * matching namespaces, with both the matching pods of the matching namespaces.
   */
  private static boolean admits(
      List<Map<String, Object>> policies, Map<String, String> target, Peer peer, Integer port) {
    List<Map<String, Object>> selecting =
        policies.stream()
            .filter(policy -> selects(map(map(policy.get("spec")).get("podSelector")), target))
            .toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (Map<String, Object> policy : selecting) {
      for (Map<String, Object> rule : maps(map(policy.get("spec")).get("ingress"))) {
        List<Map<String, Object>> ports = maps(rule.get("ports"));
        if (port != null
            && !ports.isEmpty()
            && ports.stream().noneMatch(entry -> port.equals(entry.get("port")))) {
          continue;
        }
        List<Map<String, Object>> from = maps(rule.get("from"));
        if (from.isEmpty()) {
          return true; // a rule without "from" admits every peer
        }
        for (Map<String, Object> source : from) {
          if (matches(source, peer)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean matches(Map<String, Object> source, Peer peer) {
    Object pods = source.get("podSelector");
    Object namespaces = source.get("namespaceSelector");
    if (pods == null && namespaces == null) {
      return false; // ipBlock: no pod
    }
    boolean namespaceMatches =
        namespaces == null
            ? peer.namespace() == null
            : selects(map(namespaces), peer.namespace() == null ? OWN_NAMESPACE : peer.namespace());
    return namespaceMatches && (pods == null || selects(map(pods), peer.labels()));
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
