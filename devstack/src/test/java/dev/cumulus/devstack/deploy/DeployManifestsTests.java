package dev.cumulus.devstack.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps {@code deploy/} in step with the code: every service module must appear, with its port,
 * probes and environment, in the Compose file and in the Kubernetes base, and the dev overlay must
 * be self-contained.
 *
 * <p>Nothing about the services is hard-coded here. The services are those of the registry, {@code
 * services.yml}, which must name exactly the root {@code pom.xml}'s service modules with the port
 * each module's {@code application.yml} defaults to, and which {@code ./cumulus} must read the same
 * way. Adding a service therefore fails this test until the registry, {@code ./cumulus} and {@code
 * deploy/} know about it.
 *
 * <p>Required environment: the variables {@code platform}'s {@code cumulus-defaults.yml} reads. The
 * Redis pair is required for every service, not only the gateway, because those defaults configure
 * Redis for all of them and the manifests share one environment block.
 */
class DeployManifestsTests {

  private static final Set<String> NON_SERVICE_MODULES =
      // console: the web console's static files, served by the gateway (no service of its own).
      Set.of("platform", "platform-data", "devstack", "e2e", "console");
  private static final List<String> REQUIRED_ENV =
      List.of(
          "CUMULUS_PG_HOST",
          "CUMULUS_PG_PORT",
          "CUMULUS_PG_USER",
          "CUMULUS_PG_PASSWORD",
          "CUMULUS_KAFKA_BOOTSTRAP",
          "CUMULUS_REDIS_HOST",
          "CUMULUS_REDIS_PORT",
          "CUMULUS_LOG_FORMAT",
          "CUMULUS_JWKS_URI");
  private static final String GATEWAY = "gateway";
  private static final String PASSWORD_ENV = "CUMULUS_PG_PASSWORD";
  private static final List<String> INFRASTRUCTURE = List.of("postgres", "redis", "kafka");
  private static final String LIVENESS = "/actuator/health/liveness";
  private static final String READINESS = "/actuator/health/readiness";
  private static final String CONFIG_MAP = "cumulus-config";
  private static final String DB_SECRET = "cumulus-db";
  private static final String DEV_NAMESPACE = "cumulus-dev";

  private static final Pattern PORT_PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.]+):(\\d+)}");
  private static final Pattern INTERPOLATION =
      Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::?[-?]([^}]*))?}");

  private static Path root;
  private static Path compose;
  private static Path k8sBase;
  private static Path devOverlay;
  private static List<ServiceModule> services;

  /** A deployable service: Maven module name, default HTTP port and the variable overriding it. */
  record ServiceModule(String name, int port, String portVariable) {
    @Override
    public String toString() {
      return name + " (port " + port + ")";
    }
  }

  @BeforeAll
  static void discoverServices() throws Exception {
    root = repositoryRoot();
    compose = root.resolve("deploy/compose/docker-compose.yml");
    k8sBase = root.resolve("deploy/k8s/base");
    devOverlay = root.resolve("deploy/k8s/overlays/dev");
    services = serviceModules(root);
    assertFalse(
        services.isEmpty(),
        "no service modules found in " + root.resolve("pom.xml") + ": nothing would be checked");
  }

  /**
   * The registry names exactly the service modules of the build, and each module's own default port
   * ({@code server.port: ${CUMULUS_<KEY>_PORT:<port>}} in its application.yml) is the registry's.
   */
  @Test
  void theRegistryNamesEveryServiceModuleWithItsPort() throws Exception {
    List<String> problems = new ArrayList<>();
    List<String> registered = services.stream().map(ServiceModule::name).toList();
    for (String module : serviceModuleNames(root)) {
      if (!registered.contains(module)) {
        problems.add("module " + module + " (root pom.xml) is not in services.yml");
      }
    }
    for (ServiceModule service : services) {
      Path applicationYml =
          root.resolve(service.name()).resolve("src/main/resources/application.yml");
      if (!Files.isRegularFile(applicationYml)) {
        problems.add(service.name() + " is in services.yml but has no module with application.yml");
        continue;
      }
      String expected = "${" + service.portVariable() + ":" + service.port() + "}";
      Object port = get(loadYaml(applicationYml), "server", "port");
      if (!expected.equals(String.valueOf(port))) {
        problems.add(
            relative(applicationYml)
                + ": server.port is "
                + port
                + ", services.yml says "
                + expected);
      }
    }
    assertNoProblems("services.yml against the build", problems);
  }

  /** ./cumulus starts what the registry says, on the registry's ports (its own awk reading). */
  @Test
  void cumulusReadsTheRegistryAsTheServicesDo() throws Exception {
    Process bash =
        new ProcessBuilder("bash", "-c", "source ./cumulus && read_registry")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, bash.waitFor(), output);
    List<String> expected = new ArrayList<>();
    for (Object entry : list(loadYaml(root.resolve("services.yml")).get("services"))) {
      Map<String, Object> service = map(entry);
      expected.add(
          service.get("name")
              + " "
              + service.get("port")
              + " "
              + service.get("key")
              + " "
              + !Boolean.FALSE.equals(service.get("built")));
    }
    assertEquals(expected, output.lines().toList());
  }

  @Test
  void serviceModulesHaveDistinctPorts() {
    Map<Integer, String> byPort = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (ServiceModule service : services) {
      String other = byPort.putIfAbsent(service.port(), service.name());
      if (other != null) {
        problems.add(service.name() + " and " + other + " both default to port " + service.port());
      }
    }
    assertNoProblems("service modules' application.yml", problems);
  }

  // ---------------------------------------------------------------------------------------------
  // docker compose

  @Test
  void composeDeclaresHealthyInfrastructure() {
    Map<String, Object> composeServices = composeServices();
    List<String> problems = new ArrayList<>();
    for (String infra : INFRASTRUCTURE) {
      Map<String, Object> definition = map(composeServices.get(infra));
      if (definition == null) {
        problems.add("services." + infra + " is missing (services depend on it)");
        continue;
      }
      if (string(definition.get("image")) == null) {
        problems.add("services." + infra + " has no image");
      }
      if (healthcheckCommand(definition.get("healthcheck")).isEmpty()) {
        problems.add("services." + infra + " has no healthcheck (services wait for it healthy)");
      }
    }
    for (String stateful : List.of("postgres", "kafka")) {
      Map<String, Object> definition = map(composeServices.get(stateful));
      if (definition != null && list(definition.get("volumes")).isEmpty()) {
        problems.add("services." + stateful + " has no volume: its data would die with it");
      }
    }
    assertNoProblems(relative(compose), problems);
  }

  @TestFactory
  Stream<DynamicTest> composeRunsEveryService() {
    Map<String, Object> composeServices = composeServices();
    return services.stream()
        .map(
            service ->
                dynamicTest(
                    "compose: " + service,
                    () ->
                        assertNoProblems(
                            relative(compose) + " › services." + service.name(),
                            composeProblems(service, composeServices))));
  }

  /**
   * A variable compose requires of a service ({@code ${NAME:?...}}: a master key, the internal
   * secret) is one the service cannot run without, so its Kubernetes Deployment sets it as well.
   */
  @TestFactory
  Stream<DynamicTest> kubernetesSetsEveryVariableComposeRequires() {
    Map<String, Object> composeServices = composeServices();
    Resources base = Resources.load(k8sBase);
    return services.stream()
        .map(
            service ->
                dynamicTest(
                    "k8s sets what compose requires: " + service,
                    () -> {
                      Map<String, Object> definition = map(composeServices.get(service.name()));
                      Map<String, Object> deployment = base.find("Deployment", service.name());
                      Assumptions.assumeTrue(definition != null && deployment != null);
                      Set<String> k8sNames = new HashSet<>();
                      for (Map<String, Object> container :
                          maps(get(at(deployment, "spec", "template", "spec"), "containers"))) {
                        maps(container.get("env"))
                            .forEach(e -> k8sNames.add(string(e.get("name"))));
                      }
                      List<String> problems = new ArrayList<>();
                      composeEnvironment(definition.get("environment"))
                          .forEach(
                              (name, value) -> {
                                if (value != null
                                    && value.contains(":?")
                                    && !k8sNames.contains(name)) {
                                  problems.add(
                                      "Deployment lacks " + name + " (compose requires it)");
                                }
                              });
                      assertNoProblems(relative(k8sBase) + " › " + service.name(), problems);
                    }));
  }

  private List<String> composeProblems(ServiceModule service, Map<String, Object> composeServices) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> definition = map(composeServices.get(service.name()));
    if (definition == null) {
      problems.add(
          "missing: no service named '"
              + service.name()
              + "' (in services.yml, port "
              + service.port()
              + ")");
      return problems;
    }

    // build: {context: ../.., dockerfile: deploy/docker/Dockerfile, args: {SERVICE, PORT}}
    Map<String, Object> build = map(definition.get("build"));
    if (build == null) {
      problems.add("no build section (expected deploy/docker/Dockerfile with SERVICE arg)");
    } else {
      Path context =
          compose.getParent().resolve(Objects.toString(build.get("context"), ".")).normalize();
      Path dockerfile = context.resolve(Objects.toString(build.get("dockerfile"), "Dockerfile"));
      if (!Files.isRegularFile(dockerfile)) {
        problems.add("build.dockerfile " + dockerfile + " does not exist");
      }
      if (!context.equals(root)) {
        problems.add(
            "build.context resolves to " + context + ", not the repository root (jars live there)");
      }
      Map<String, Object> args = map(build.get("args"));
      String serviceArg = args == null ? null : string(args.get("SERVICE"));
      if (!service.name().equals(serviceArg)) {
        problems.add("build.args.SERVICE is " + serviceArg + ", expected '" + service.name() + "'");
      }
      String portArg = args == null ? null : string(args.get("PORT"));
      if (!String.valueOf(service.port()).equals(portArg)) {
        problems.add(
            "build.args.PORT is "
                + portArg
                + ", expected "
                + service.port()
                + " (the image's EXPOSE and health check use it)");
      }
    }

    // ports: only the gateway is published; a service is reachable inside the network only
    boolean published =
        list(definition.get("ports")).stream()
            .map(DeployManifestsTests::containerPortOf)
            .anyMatch(port -> port != null && port == service.port());
    boolean isGateway = GATEWAY.equals(service.name());
    if (isGateway && !published) {
      problems.add(
          "ports does not publish container port "
              + service.port()
              + " (found "
              + list(definition.get("ports"))
              + ")");
    }
    if (!isGateway && !list(definition.get("ports")).isEmpty()) {
      problems.add(
          "ports publishes "
              + list(definition.get("ports"))
              + ": only the gateway is reachable from outside (use expose)");
    }
    if (!isGateway
        && list(definition.get("expose")).stream()
            .noneMatch(port -> String.valueOf(service.port()).equals(String.valueOf(port)))) {
      problems.add("expose does not list " + service.port());
    }

    // healthcheck on readiness
    List<String> healthcheck = healthcheckCommand(definition.get("healthcheck"));
    if (healthcheck.isEmpty()) {
      problems.add("no healthcheck (expected one probing " + READINESS + ")");
    } else if (healthcheck.stream().noneMatch(part -> part.contains(READINESS))) {
      problems.add("healthcheck " + healthcheck + " does not probe " + READINESS);
    }

    // environment, after anchors and merge keys are resolved
    Map<String, String> environment = composeEnvironment(definition.get("environment"));
    for (String variable : REQUIRED_ENV) {
      String value = environment.get(variable);
      if (value == null || value.isBlank()) {
        problems.add("environment lacks " + variable);
      }
    }
    String password = environment.get(PASSWORD_ENV);
    if (password != null && !password.contains("${" + PASSWORD_ENV)) {
      problems.add(
          "environment."
              + PASSWORD_ENV
              + " is a literal; use ${"
              + PASSWORD_ENV
              + ":-<dev default>} so the secret can come from the shell");
    }
    String portValue = environment.get(service.portVariable());
    if (portValue != null && !String.valueOf(service.port()).equals(interpolate(portValue))) {
      problems.add(
          "environment." + service.portVariable() + " is " + portValue + ", not " + service.port());
    }
    Set<String> known = composeServices.keySet();
    for (String host : hostsIn(environment)) {
      if (!known.contains(host)) {
        problems.add("environment points at host '" + host + "', which is no compose service");
      }
    }

    // depends_on: infrastructure, healthy
    Object dependsOn = definition.get("depends_on");
    Map<String, Object> dependencies = map(dependsOn);
    for (String infra : INFRASTRUCTURE) {
      if (dependencies == null) {
        if (!list(dependsOn).contains(infra)) {
          problems.add("depends_on lacks " + infra);
        } else {
          problems.add(
              "depends_on." + infra + " must use the long form with condition: service_healthy");
        }
        continue;
      }
      Map<String, Object> dependency = map(dependencies.get(infra));
      if (!dependencies.containsKey(infra)) {
        problems.add("depends_on lacks " + infra);
      } else if (dependency == null
          || !"service_healthy".equals(string(dependency.get("condition")))) {
        problems.add("depends_on." + infra + " lacks condition: service_healthy");
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------------------------------------
  // Kubernetes base

  @Test
  void baseKustomizationListsEveryManifest() throws IOException {
    Map<String, Object> kustomization = kustomization(k8sBase);
    Set<String> listed = new LinkedHashSet<>();
    for (Object entry : list(kustomization.get("resources"))) {
      listed.add(String.valueOf(entry));
    }
    List<String> problems = new ArrayList<>();
    for (String entry : listed) {
      if (!Files.exists(k8sBase.resolve(entry))) {
        problems.add("resources lists " + entry + ", which does not exist");
      }
    }
    try (Stream<Path> files = Files.list(k8sBase)) {
      files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") || name.endsWith(".yml"))
          .filter(name -> !name.startsWith("kustomization."))
          .sorted()
          .filter(name -> !listed.contains(name))
          .forEach(name -> problems.add(name + " is not listed in resources"));
    }
    assertNoProblems(relative(k8sBase.resolve("kustomization.yaml")), problems);
  }

  @Test
  void baseConfigMapHoldsEverySharedSetting() {
    Resources base = Resources.load(k8sBase);
    Map<String, Object> configMap = base.find("ConfigMap", CONFIG_MAP);
    List<String> problems = new ArrayList<>();
    if (configMap == null) {
      problems.add("no ConfigMap named " + CONFIG_MAP + " among the base resources");
    } else {
      Map<String, Object> data = Optional.ofNullable(map(configMap.get("data"))).orElse(Map.of());
      for (String key : REQUIRED_ENV) {
        if (key.equals(PASSWORD_ENV)) {
          if (data.containsKey(key)) {
            problems.add(
                "ConfigMap "
                    + CONFIG_MAP
                    + " must not hold "
                    + key
                    + ": it belongs in Secret "
                    + DB_SECRET);
          }
        } else if (data.get(key) == null || String.valueOf(data.get(key)).isBlank()) {
          problems.add("ConfigMap " + CONFIG_MAP + " lacks key " + key);
        }
      }
    }
    if (base.find("Secret", DB_SECRET) != null) {
      problems.add(
          "base defines Secret "
              + DB_SECRET
              + ": credentials belong to the overlays (see deploy/k8s/README.md)");
    }
    assertNoProblems(relative(k8sBase), problems);
  }

  @TestFactory
  Stream<DynamicTest> baseDeploysEveryService() {
    Resources base = Resources.load(k8sBase);
    return services.stream()
        .map(
            service ->
                dynamicTest(
                    "k8s base: " + service,
                    () ->
                        assertNoProblems(
                            relative(k8sBase) + " › " + service.name(),
                            kubernetesProblems(service, base))));
  }

  private List<String> kubernetesProblems(ServiceModule service, Resources base) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> deployment = base.find("Deployment", service.name());
    if (deployment == null) {
      problems.add(
          "missing: no Deployment named '"
              + service.name()
              + "' (expected in "
              + service.name()
              + ".yaml, listed in kustomization.yaml)");
    } else {
      problems.addAll(deploymentProblems(service, deployment, base));
    }
    Map<String, Object> k8sService = base.find("Service", service.name());
    if (k8sService == null) {
      problems.add("missing: no Service named '" + service.name() + "'");
    } else if (deployment != null) {
      problems.addAll(serviceProblems(service, k8sService, deployment));
    }
    return problems;
  }

  private List<String> deploymentProblems(
      ServiceModule service, Map<String, Object> deployment, Resources base) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> podSpec = at(deployment, "spec", "template", "spec");
    List<Map<String, Object>> containers = maps(get(podSpec, "containers"));
    Map<String, Object> container =
        containers.stream()
            .filter(candidate -> containerPorts(candidate).containsValue(service.port()))
            .findFirst()
            .orElse(null);
    if (container == null) {
      problems.add(
          "Deployment has no container with containerPort "
              + service.port()
              + " (found "
              + containers.stream().map(DeployManifestsTests::containerPorts).toList()
              + ")");
      return problems;
    }
    String containerName = "container " + container.get("name");

    String image = string(container.get("image"));
    if (image == null || !image.matches("cumulus/" + Pattern.quote(service.name()) + "(:.+)?")) {
      problems.add(containerName + " image is " + image + ", expected cumulus/" + service.name());
    }

    // probes
    Map<String, Integer> ports = containerPorts(container);
    problems.addAll(probeProblems(containerName, "livenessProbe", LIVENESS, container, ports));
    problems.addAll(probeProblems(containerName, "readinessProbe", READINESS, container, ports));
    problems.addAll(probeProblems(containerName, "startupProbe", LIVENESS, container, ports));

    // environment
    Map<String, String> sources = new LinkedHashMap<>();
    for (Map<String, Object> entry : maps(container.get("env"))) {
      String name = string(entry.get("name"));
      Map<String, Object> secretRef = at(entry, "valueFrom", "secretKeyRef");
      if (secretRef != null) {
        sources.put(name, "secret:" + secretRef.get("name") + "/" + secretRef.get("key"));
      } else if (entry.containsKey("value") || entry.containsKey("valueFrom")) {
        sources.put(name, entry.containsKey("value") ? "value:" + entry.get("value") : "valueFrom");
      }
    }
    for (Map<String, Object> entry : maps(container.get("envFrom"))) {
      String prefix = Objects.toString(entry.get("prefix"), "");
      Map<String, Object> configMapRef = map(entry.get("configMapRef"));
      if (configMapRef != null) {
        String name = string(configMapRef.get("name"));
        Map<String, Object> configMap = base.find("ConfigMap", name);
        if (configMap == null) {
          problems.add(
              containerName + " envFrom references ConfigMap " + name + ", which base lacks");
          continue;
        }
        Map<String, Object> data = Optional.ofNullable(map(configMap.get("data"))).orElse(Map.of());
        data.keySet().forEach(key -> sources.putIfAbsent(prefix + key, "configMap:" + name));
      }
    }
    for (String variable : REQUIRED_ENV) {
      if (!sources.containsKey(variable)) {
        problems.add(
            containerName
                + " lacks environment variable "
                + variable
                + " (neither in env nor in an envFrom ConfigMap)");
      }
    }
    String password = sources.get(PASSWORD_ENV);
    if (password != null && !password.startsWith("secret:" + DB_SECRET + "/")) {
      problems.add(
          containerName
              + " must take "
              + PASSWORD_ENV
              + " from secretKeyRef "
              + DB_SECRET
              + ", not "
              + password);
    }
    String portValue = sources.get(service.portVariable());
    if (portValue != null
        && portValue.startsWith("value:")
        && !portValue.equals("value:" + service.port())) {
      problems.add(
          containerName
              + " sets "
              + service.portVariable()
              + "="
              + portValue.substring(6)
              + " but listens on "
              + service.port());
    }

    // resources and security
    Map<String, Object> resources = map(container.get("resources"));
    for (String section : List.of("requests", "limits")) {
      Map<String, Object> amounts = resources == null ? null : map(resources.get(section));
      if (amounts == null || amounts.get("memory") == null) {
        problems.add(containerName + " has no resources." + section + ".memory");
      }
    }
    if (get(resources, "requests", "cpu") == null) {
      problems.add(containerName + " has no resources.requests.cpu");
    }
    boolean nonRoot =
        Boolean.TRUE.equals(get(podSpec, "securityContext", "runAsNonRoot"))
            || Boolean.TRUE.equals(get(container, "securityContext", "runAsNonRoot"));
    if (!nonRoot) {
      problems.add(containerName + " does not set securityContext.runAsNonRoot: true");
    }
    return problems;
  }

  private static List<String> probeProblems(
      String containerName,
      String probeName,
      String expectedPath,
      Map<String, Object> container,
      Map<String, Integer> ports) {
    Map<String, Object> httpGet = at(container, probeName, "httpGet");
    if (httpGet == null) {
      return List.of(containerName + " has no " + probeName + " with httpGet " + expectedPath);
    }
    List<String> problems = new ArrayList<>();
    String path = string(httpGet.get("path"));
    if (expectedPath == null || !expectedPath.equals(path)) {
      problems.add(
          containerName + " " + probeName + " probes " + path + ", expected " + expectedPath);
    }
    Integer port = resolvePort(httpGet.get("port"), ports);
    if (port == null || !ports.containsValue(port)) {
      problems.add(
          containerName
              + " "
              + probeName
              + " port "
              + httpGet.get("port")
              + " is not one of the container's ports "
              + ports);
    }
    return problems;
  }

  private static List<String> serviceProblems(
      ServiceModule service, Map<String, Object> k8sService, Map<String, Object> deployment) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> selector = at(k8sService, "spec", "selector");
    Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
    if (selector == null || selector.isEmpty()) {
      problems.add("Service has no selector");
    } else if (podLabels == null || !podLabels.entrySet().containsAll(selector.entrySet())) {
      problems.add("Service selector " + selector + " does not match the pod labels " + podLabels);
    }
    Map<String, Integer> containerPorts = new LinkedHashMap<>();
    maps(get(deployment, "spec", "template", "spec", "containers"))
        .forEach(container -> containerPorts.putAll(containerPorts(container)));
    boolean exposed = false;
    for (Map<String, Object> port : maps(get(k8sService, "spec", "ports"))) {
      Integer servicePort = integer(port.get("port"));
      Object target = port.containsKey("targetPort") ? port.get("targetPort") : servicePort;
      if (servicePort != null
          && servicePort == service.port()
          && Objects.equals(resolvePort(target, containerPorts), service.port())) {
        exposed = true;
      }
    }
    if (!exposed) {
      problems.add(
          "Service does not expose port "
              + service.port()
              + " onto the container's port "
              + service.port()
              + " (ports: "
              + get(k8sService, "spec", "ports")
              + ")");
    }
    return problems;
  }

  // ---------------------------------------------------------------------------------------------
  // Kubernetes dev overlay

  @Test
  void devOverlayIsSelfContained() {
    Map<String, Object> kustomization = kustomization(devOverlay);
    List<String> problems = new ArrayList<>();

    boolean usesBase =
        list(kustomization.get("resources")).stream()
            .map(entry -> devOverlay.resolve(String.valueOf(entry)).normalize())
            .anyMatch(k8sBase::equals);
    if (!usesBase) {
      problems.add("resources does not include the base (../../base)");
    }
    if (!DEV_NAMESPACE.equals(string(kustomization.get("namespace")))) {
      problems.add(
          "namespace is " + kustomization.get("namespace") + ", expected " + DEV_NAMESPACE);
    }

    // the Secret base leaves out
    Map<String, Object> secret =
        maps(kustomization.get("secretGenerator")).stream()
            .filter(generator -> DB_SECRET.equals(generator.get("name")))
            .findFirst()
            .orElse(null);
    if (secret == null) {
      problems.add("no secretGenerator for Secret " + DB_SECRET + " (base only references it)");
    } else {
      boolean hasPassword =
          Stream.of("literals", "files", "envs")
              .flatMap(field -> list(secret.get(field)).stream())
              .map(String::valueOf)
              .anyMatch(entry -> entry.startsWith("password=") || entry.endsWith("password"));
      if (!hasPassword) {
        problems.add("secretGenerator " + DB_SECRET + " has no key 'password'");
      }
    }

    // an image tag for every service
    Map<String, Map<String, Object>> images = new LinkedHashMap<>();
    maps(kustomization.get("images"))
        .forEach(image -> images.put(string(image.get("name")), image));
    for (ServiceModule service : services) {
      Map<String, Object> image = images.get("cumulus/" + service.name());
      if (image == null || (image.get("newTag") == null && image.get("digest") == null)) {
        problems.add("images does not pin a tag for cumulus/" + service.name());
      }
    }

    // the infrastructure the shared ConfigMap points at
    Resources overlay = Resources.load(devOverlay);
    Map<String, Object> configMap = Resources.load(k8sBase).find("ConfigMap", CONFIG_MAP);
    Map<String, Object> data =
        configMap == null
            ? Map.of()
            : Optional.ofNullable(map(configMap.get("data"))).orElse(Map.of());
    Map<String, String> environment = new LinkedHashMap<>();
    data.forEach((key, value) -> environment.put(key, String.valueOf(value)));
    for (String host : hostsIn(environment)) {
      Map<String, Object> infraService = overlay.find("Service", host);
      if (infraService == null) {
        problems.add(
            "no Service named '" + host + "', which " + CONFIG_MAP + " sends the services to");
        continue;
      }
      Map<String, Object> selector = at(infraService, "spec", "selector");
      boolean backed =
          overlay.all().stream()
              .filter(
                  resource -> Set.of("StatefulSet", "Deployment").contains(resource.get("kind")))
              .map(resource -> at(resource, "spec", "template", "metadata", "labels"))
              .anyMatch(
                  labels ->
                      labels != null
                          && selector != null
                          && labels.entrySet().containsAll(selector.entrySet()));
      if (!backed) {
        problems.add("Service '" + host + "' selects no StatefulSet or Deployment in the overlay");
      }
    }
    for (String infra : INFRASTRUCTURE) {
      if (overlay.find("StatefulSet", infra) == null && overlay.find("Deployment", infra) == null) {
        problems.add("no StatefulSet or Deployment named '" + infra + "'");
      }
    }
    assertNoProblems(relative(devOverlay.resolve("kustomization.yaml")), problems);
  }

  /**
   * Renders the overlay with the real kustomize when {@code kubectl} is installed (skipped
   * otherwise): catches what a YAML parse cannot, such as a patch that no longer applies.
   */
  @Test
  void devOverlayRendersWithKubectlWhenAvailable() throws Exception {
    String rendered = renderWithKubectl(devOverlay);
    List<String> problems = new ArrayList<>();
    for (ServiceModule service : services) {
      if (!rendered.contains("image: cumulus/" + service.name() + ":")) {
        problems.add("rendered output has no tagged image cumulus/" + service.name());
      }
    }
    assertNoProblems("kubectl kustomize " + relative(devOverlay), problems);
  }

  /**
   * The production overlay renders too (kubectl installed), with the stores' NetworkPolicies in its
   * namespace and the Kafka listener's networkPolicyPeers intact (NetworkPoliciesTests evaluates
   * them).
   */
  @Test
  void productionOverlayRendersWithKubectlWhenAvailable() throws Exception {
    Path production = root.resolve("deploy/k8s/overlays/production");
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : yaml().loadAll(renderWithKubectl(production))) {
      Optional.ofNullable(map(document)).ifPresent(objects::add);
    }
    List<String> problems = new ArrayList<>();
    for (String policy : List.of("postgres-ingress", "redis-ingress")) {
      Map<String, Object> found = new Resources(objects).find("NetworkPolicy", policy);
      if (found == null) {
        problems.add("no NetworkPolicy " + policy);
      } else if (!"cumulus".equals(get(found, "metadata", "namespace"))) {
        problems.add("NetworkPolicy " + policy + " is not in namespace cumulus");
      }
    }
    Map<String, Object> kafka = new Resources(objects).find("Kafka", "kafka");
    boolean plainRestricted =
        kafka != null
            && maps(get(kafka, "spec", "kafka", "listeners")).stream()
                .anyMatch(
                    listener ->
                        "plain".equals(listener.get("name"))
                            && !list(listener.get("networkPolicyPeers")).isEmpty());
    if (!plainRestricted) {
      problems.add("Kafka 'kafka' has no listener 'plain' with networkPolicyPeers");
    }
    assertNoProblems("kubectl kustomize " + relative(production), problems);
  }

  private static String renderWithKubectl(Path overlay) throws Exception {
    Optional<Path> kubectl = onPath("kubectl");
    Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed");
    Process process =
        new ProcessBuilder(kubectl.get().toString(), "kustomize", overlay.toString())
            .redirectErrorStream(true)
            .start();
    byte[] output;
    try (InputStream in = process.getInputStream()) {
      output = in.readAllBytes();
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("kubectl kustomize " + relative(overlay) + " did not finish in 60 s");
    }
    String rendered = new String(output, StandardCharsets.UTF_8);
    assertEquals(
        0,
        process.exitValue(),
        () -> "kubectl kustomize " + relative(overlay) + " failed:\n" + rendered);
    return rendered;
  }

  // ---------------------------------------------------------------------------------------------
  // discovery

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("pom.xml"))
          && Files.isDirectory(candidate.resolve("devstack"))
          && Files.isDirectory(candidate.resolve("deploy"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no repository root (pom.xml with devstack/ and deploy/) at or above " + dir);
  }

  /** The services of the registry, services.yml: name, port and the variable overriding it. */
  static List<ServiceModule> serviceModules(Path root) {
    List<ServiceModule> found = new ArrayList<>();
    for (Object entry : list(loadYaml(root.resolve("services.yml")).get("services"))) {
      Map<String, Object> service = map(entry);
      found.add(
          new ServiceModule(
              string(service.get("name")),
              integer(service.get("port")),
              "CUMULUS_" + string(service.get("key")) + "_PORT"));
    }
    return found;
  }

  /** The root pom's modules that are services (not libraries, devstack or e2e). */
  static List<String> serviceModuleNames(Path root) throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element project =
        factory.newDocumentBuilder().parse(root.resolve("pom.xml").toFile()).getDocumentElement();
    List<String> modules = new ArrayList<>();
    for (Element section : children(project, "modules")) {
      for (Element module : children(section, "module")) {
        String name = module.getTextContent().trim();
        if (!NON_SERVICE_MODULES.contains(name)) {
          modules.add(name);
        }
      }
    }
    return modules;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> children = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && name.equals(element.getTagName())) {
        children.add(element);
      }
    }
    return children;
  }

  // ---------------------------------------------------------------------------------------------
  // compose helpers

  private Map<String, Object> composeServices() {
    Map<String, Object> services = map(loadYaml(compose).get("services"));
    if (services == null) {
      fail(relative(compose) + " has no services section");
    }
    return services;
  }

  /** Container port of a compose {@code ports} entry, short ("8081:8081/tcp") or long form. */
  private static Integer containerPortOf(Object entry) {
    if (entry instanceof Map<?, ?> longForm) {
      return integer(longForm.get("target"));
    }
    String spec = interpolate(String.valueOf(entry));
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      spec = spec.substring(0, slash);
    }
    String container = spec.substring(spec.lastIndexOf(':') + 1);
    return integer(container);
  }

  private static List<String> healthcheckCommand(Object healthcheck) {
    Map<String, Object> definition = map(healthcheck);
    if (definition == null || Boolean.TRUE.equals(definition.get("disable"))) {
      return List.of();
    }
    Object test = definition.get("test");
    List<String> command =
        test instanceof List<?> parts
            ? parts.stream().map(String::valueOf).toList()
            : test == null ? List.of() : List.of(String.valueOf(test));
    return command.isEmpty() || command.getFirst().equals("NONE") ? List.of() : command;
  }

  private static Map<String, String> composeEnvironment(Object environment) {
    Map<String, String> result = new LinkedHashMap<>();
    Map<String, Object> asMap = map(environment);
    if (asMap != null) {
      asMap.forEach((key, value) -> result.put(key, value == null ? null : String.valueOf(value)));
    } else {
      for (Object entry : list(environment)) {
        String text = String.valueOf(entry);
        int equals = text.indexOf('=');
        result.put(
            equals < 0 ? text : text.substring(0, equals),
            equals < 0 ? null : text.substring(equals + 1));
      }
    }
    return result;
  }

  /** Replaces {@code ${VAR:-default}} with its default, as Compose does when VAR is unset. */
  private static String interpolate(String value) {
    Matcher matcher = INTERPOLATION.matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(
          result, Matcher.quoteReplacement(Objects.toString(matcher.group(2), "")));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  /** Host names the PG, Redis and Kafka settings point at. */
  private static Set<String> hostsIn(Map<String, String> environment) {
    Set<String> hosts = new TreeSet<>();
    for (String variable : List.of("CUMULUS_PG_HOST", "CUMULUS_REDIS_HOST")) {
      String value = environment.get(variable);
      if (value != null && !interpolate(value).isBlank()) {
        hosts.add(interpolate(value).trim());
      }
    }
    String bootstrap = environment.get("CUMULUS_KAFKA_BOOTSTRAP");
    if (bootstrap != null) {
      for (String server : interpolate(bootstrap).split(",")) {
        String host = server.trim().replaceFirst(":\\d+$", "");
        if (!host.isEmpty()) {
          hosts.add(host);
        }
      }
    }
    return hosts;
  }

  // ---------------------------------------------------------------------------------------------
  // Kubernetes helpers

  private static Map<String, Object> kustomization(Path directory) {
    Path file = directory.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      fail(relative(file) + " does not exist");
    }
    return loadYaml(file);
  }

  /** The objects of the plain files a kustomization lists (nested kustomizations are skipped). */
  private record Resources(List<Map<String, Object>> all) {
    static Resources load(Path directory) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (Object entry : list(kustomization(directory).get("resources"))) {
        Path file = directory.resolve(String.valueOf(entry)).normalize();
        if (Files.isRegularFile(file)) {
          objects.addAll(loadAllYaml(file));
        }
      }
      return new Resources(objects);
    }

    Map<String, Object> find(String kind, String name) {
      return all.stream()
          .filter(object -> kind.equals(object.get("kind")))
          .filter(object -> name.equals(get(object, "metadata", "name")))
          .findFirst()
          .orElse(null);
    }
  }

  private static Map<String, Integer> containerPorts(Map<String, Object> container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Map<String, Object> port : maps(container.get("ports"))) {
      Integer number = integer(port.get("containerPort"));
      if (number != null) {
        ports.put(Objects.toString(port.get("name"), "#" + number), number);
      }
    }
    return ports;
  }

  /** A numeric port, or a named one looked up among the container's ports. */
  private static Integer resolvePort(Object port, Map<String, Integer> namedPorts) {
    Integer number = integer(port);
    return number != null ? number : namedPorts.get(String.valueOf(port));
  }

  // ---------------------------------------------------------------------------------------------
  // YAML and plumbing

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(500);
    return new Yaml(new SafeConstructor(options));
  }

  private static Map<String, Object> loadYaml(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> document = map(yaml().load(reader));
      if (document == null) {
        fail(relative(file) + " is empty or not a YAML mapping");
      }
      return document;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static List<Map<String, Object>> loadAllYaml(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (Object document : yaml().loadAll(reader)) {
        Map<String, Object> object = map(document);
        if (object != null) {
          documents.add(object);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
  }

  private static List<Object> list(Object value) {
    return value instanceof List<?> items ? new ArrayList<>(items) : List.of();
  }

  private static List<Map<String, Object>> maps(Object value) {
    return list(value).stream().map(DeployManifestsTests::map).filter(Objects::nonNull).toList();
  }

  /** The value at a path of mapping keys, or null where the path breaks off. */
  private static Object get(Map<String, Object> start, String... path) {
    Object current = start;
    for (String key : path) {
      Map<String, Object> mapping = map(current);
      if (mapping == null) {
        return null;
      }
      current = mapping.get(key);
    }
    return current;
  }

  private static Map<String, Object> at(Map<String, Object> start, String... path) {
    return map(get(start, path));
  }

  private static String string(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  private static Integer integer(Object value) {
    if (value instanceof Integer number) {
      return number;
    }
    if (value instanceof String text && text.trim().matches("\\d+")) {
      return Integer.valueOf(text.trim());
    }
    return null;
  }

  private static Optional<Path> onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry, command))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static String relative(Path path) {
    return root.relativize(path).toString();
  }

  private static void assertNoProblems(String where, List<String> problems) {
    if (!problems.isEmpty()) {
      fail(where + ": " + problems.size() + " problem(s)\n  - " + String.join("\n  - ", problems));
    }
  }
}
