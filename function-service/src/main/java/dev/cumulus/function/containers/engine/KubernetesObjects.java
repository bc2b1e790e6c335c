package dev.cumulus.function.containers.engine;

import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import dev.cumulus.function.containers.domain.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kubernetes objects of a container function: names that fit Kubernetes' rules, the labels this
 * service finds them by, and the Deployment of its replicas and the Job of an invocation, with the
 * same container the Docker backend runs (image, command as the image's arguments, env, limits).
 */
final class KubernetesObjects {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String ME = "cumulus-function-service";
  static final String FUNCTION = "dev.cumulus/function-id";
  static final String ROLE = "dev.cumulus/role";
  static final String JOB = "dev.cumulus/job";
  static final String REPLICA = "replica";
  static final String TENANT = "dev.cumulus/tenant";
  static final String FUNCTION_NAME = "dev.cumulus/function-name";
  static final String JOB_NAME = "dev.cumulus/job-name";
  static final String DEPLOYMENT_PREFIX = "cf-";

  /** Waiting reasons of a container whose image cannot be had. */
  static final Set<String> IMAGE_PROBLEMS =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");

  private static final int MAX_NAME = 63;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ContainerProperties properties;

  KubernetesObjects(ContainerProperties properties) {
    this.properties = properties;
  }

  /**
   * A tenant's namespace: the prefix and its id in Kubernetes' DNS label alphabet, shortened with a
   * hash when too long (so two tenants never share one).
   */
  String namespace(String tenantId) {
    String raw = properties.namespacePrefix() + tenantId;
    String name = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    if (name.length() > MAX_NAME || !name.equals(raw)) {
      String hash = hash(tenantId);
      name = name.substring(0, Math.min(name.length(), MAX_NAME - 9)) + "-" + hash;
    }
    return name.replaceAll("^-+|-+$", "");
  }

  Map<String, String> managedLabels() {
    return Map.of(MANAGED_BY, ME);
  }

  static String deploymentName(ContainerFunction f) {
    return DEPLOYMENT_PREFIX + f.id();
  }

  /** The image pull secret of a function with registry credentials. */
  static String pullSecretName(String functionId) {
    return DEPLOYMENT_PREFIX + functionId + "-registry";
  }

  /**
   * The function's registry credentials as Kubernetes reads them: a {@code
   * kubernetes.io/dockerconfigjson} Secret for the image's registry.
   */
  Secret pullSecret(ContainerFunction f) {
    RegistryCredentials c = f.registryCredentials();
    String auth =
        Base64.getEncoder()
            .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("username", c.username());
    entry.put("password", c.password());
    entry.put("auth", auth);
    String config =
        JSON.writeValueAsString(
            Map.of("auths", Map.of(RegistryCredentials.registryOf(f.image()), entry)));
    Map<String, String> labels = new LinkedHashMap<>(managedLabels());
    labels.put(FUNCTION, f.id().toString());
    return new SecretBuilder()
        .withMetadata(meta(pullSecretName(f.id().toString()), f, labels, null))
        .withType("kubernetes.io/dockerconfigjson")
        .withData(
            Map.of(
                ".dockerconfigjson",
                Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** A job's Kubernetes name: the API's {@code <name>-invoke-<epoch>} may be too long for one. */
  static String jobName(ContainerFunction f, String jobName) {
    return "cfj-" + f.id() + "-" + hash(jobName);
  }

  Deployment deployment(ContainerFunction f, int replicas) {
    Map<String, String> selector = Map.of(FUNCTION, f.id().toString(), ROLE, REPLICA);
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.putAll(managedLabels());
    return new DeploymentBuilder()
        .withMetadata(meta(deploymentName(f), f, labels, null))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(selector)
        .endSelector()
        .withNewTemplate()
        .withMetadata(new ObjectMetaBuilder().withLabels(labels).build())
        .withSpec(pod(f, Map.of(), "Always"))
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A one-off run: no retry (as under Docker), its input in the environment. */
  Job job(ContainerFunction f, String jobName, String input) {
    String name = jobName(f, jobName);
    Map<String, String> labels = new LinkedHashMap<>(managedLabels());
    labels.put(FUNCTION, f.id().toString());
    labels.put(ROLE, "job");
    labels.put(JOB, name);
    return new JobBuilder()
        .withMetadata(meta(name, f, labels, jobName))
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withMetadata(new ObjectMetaBuilder().withLabels(labels).build())
        .withSpec(pod(f, Map.of(DockerBackend.INPUT_VARIABLE, input), "Never"))
        .endTemplate()
        .endSpec()
        .build();
  }

  private static ObjectMeta meta(
      String name, ContainerFunction f, Map<String, String> labels, String jobName) {
    Map<String, String> notes = new LinkedHashMap<>();
    notes.put(TENANT, f.tenantId());
    notes.put(FUNCTION_NAME, f.name());
    if (jobName != null) {
      notes.put(JOB_NAME, jobName);
    }
    return new ObjectMetaBuilder().withName(name).withLabels(labels).withAnnotations(notes).build();
  }

  private PodSpec pod(ContainerFunction f, Map<String, String> extraEnv, String restartPolicy) {
    List<EnvVar> env = new ArrayList<>();
    f.env().forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    extraEnv.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    ContainerBuilder container =
        new ContainerBuilder()
            .withName("function")
            .withImage(f.image())
            .withEnv(env)
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .endSecurityContext()
            .withNewResources()
            .withLimits(limits(f.resources()))
            .withRequests(limits(f.resources()))
            .endResources();
    if (f.command() != null) {
      // The command replaces the image's CMD, not its ENTRYPOINT: as the Docker backend does.
      container.withArgs(f.command());
    }
    Container built = container.build();
    PodSpecBuilder spec = new PodSpecBuilder();
    if (f.registryCredentials() != null) {
      spec.addNewImagePullSecret(pullSecretName(f.id().toString()));
      // Checked against the registry at each start, not skipped by an image already on the node.
      built.setImagePullPolicy("Always");
    }
    return spec.withContainers(built)
        .withRestartPolicy(restartPolicy)
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .build();
  }

  /** Requests equal to limits: a replica gets what it asked for, and no more. */
  private Map<String, Quantity> limits(Resources resources) {
    Map<String, Quantity> limits = new LinkedHashMap<>();
    String memory = resources == null ? null : resources.memory();
    limits.put("memory", new Quantity(memory == null ? properties.defaultMemory() : memory.trim()));
    if (resources != null && resources.cpu() != null) {
      limits.put("cpu", new Quantity(resources.cpu().trim()));
    }
    return limits;
  }

  private static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
