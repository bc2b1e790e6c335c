package dev.cumulus.function.containers.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.cumulus.function.config.ContainerProperties;
import dev.cumulus.function.containers.application.ContainerBackend;
import dev.cumulus.function.containers.domain.ContainerFunction;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import dev.cumulus.function.containers.domain.Resources;
import dev.cumulus.platform.docker.PullProgress;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Container functions on the Docker Engine API (Docker, or podman's compatible service) through
 * docker-java. docker-java blocks, so every call runs on the bounded elastic scheduler.
 *
 * <p>Containers are labelled with their tenant and function; none is ever found by name.
 */
@Component
@ConditionalOnProperty(
    name = "cumulus.function.containers.backend",
    havingValue = "docker",
    matchIfMissing = true)
class DockerBackend implements ContainerBackend {

  static final String MANAGED_BY = "dev.cumulus.managed-by";
  static final String TENANT = "dev.cumulus.tenant";
  static final String FUNCTION = "dev.cumulus.function-id";
  static final String JOB = "dev.cumulus.job-name";
  private static final String ME = "function-service";

  /** The input of a job, as JSON, in its environment. */
  static final String INPUT_VARIABLE = "EVENTFLOW_INPUT";

  private static final Pattern EXIT_CODE = Pattern.compile("Exited \\((-?\\d+)\\)");

  private final DockerClient docker;
  private final ContainerProperties properties;
  private final long defaultMemory;

  DockerBackend(DockerClient functionDockerClient, ContainerProperties properties) {
    this.docker = functionDockerClient;
    this.properties = properties;
    this.defaultMemory = new Resources(null, properties.defaultMemory()).memoryBytes();
  }

  @Override
  public Mono<List<Workload>> workloads() {
    return call(
        "list containers",
        () ->
            docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(MANAGED_BY, ME))
                .exec()
                .stream()
                .filter(c -> c.getLabels() != null && c.getLabels().containsKey(FUNCTION))
                .map(DockerBackend::workload)
                .toList());
  }

  private static Workload workload(Container c) {
    Map<String, String> labels = c.getLabels();
    boolean running = "running".equalsIgnoreCase(c.getState());
    Integer exit = null;
    if (!running && c.getStatus() != null) {
      Matcher m = EXIT_CODE.matcher(c.getStatus());
      exit = m.find() ? Integer.valueOf(m.group(1)) : null;
    }
    return new Workload(
        c.getId(),
        labels.get(TENANT),
        labels.get(FUNCTION),
        labels.get(JOB),
        running,
        exit,
        c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated()));
  }

  @Override
  public Mono<Void> ensureImage(ContainerFunction f) {
    String image = f.image();
    RegistryCredentials credentials = f.registryCredentials();
    return call(
            "pull image",
            () -> {
              if (credentials == null) {
                try {
                  docker.inspectImageCmd(image).exec();
                  return true;
                } catch (NotFoundException missing) {
                  // pulled below
                }
              }
              try {
                var pull = docker.pullImageCmd(image);
                if (credentials != null) {
                  // docker-java sends these as X-Registry-Auth.
                  pull.withAuthConfig(
                      new AuthConfig()
                          .withRegistryAddress(RegistryCredentials.registryOf(image))
                          .withUsername(credentials.username())
                          .withPassword(credentials.password()));
                }
                pull.exec(new PullProgress())
                    .awaitCompletion(properties.responseTimeout().toSeconds(), TimeUnit.SECONDS);
                docker.inspectImageCmd(image).exec();
                return true;
              } catch (RuntimeException failed) {
                docker.pingCmd().exec(); // an engine out of reach is not the image's fault
                throw new ImageUnavailable(image, failed);
              }
            })
        .then();
  }

  @Override
  public Mono<Void> startReplica(ContainerFunction function) {
    return start(function, null, Map.of());
  }

  @Override
  public Mono<Void> startJob(ContainerFunction function, String jobName, String input) {
    return start(function, jobName, Map.of(INPUT_VARIABLE, input));
  }

  private Mono<Void> start(ContainerFunction f, String jobName, Map<String, String> extraEnv) {
    return run(
        "start container",
        () -> {
          String id = create(f, jobName, extraEnv);
          try {
            docker.startContainerCmd(id).exec();
          } catch (RuntimeException failed) {
            docker.removeContainerCmd(id).withForce(true).exec();
            throw failed;
          }
        });
  }

  private String create(ContainerFunction f, String jobName, Map<String, String> extraEnv) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, ME);
    labels.put(TENANT, f.tenantId());
    labels.put(FUNCTION, f.id().toString());
    if (jobName != null) {
      labels.put(JOB, jobName);
    }
    Resources limits = f.resources() == null ? new Resources(null, null) : f.resources();
    HostConfig host =
        HostConfig.newHostConfig()
            .withMemory(limits.memoryBytes() > 0 ? limits.memoryBytes() : defaultMemory)
            .withPidsLimit(properties.pidsLimit())
            .withSecurityOpts(List.of("no-new-privileges"))
            .withRestartPolicy(RestartPolicy.noRestart());
    if (limits.nanoCpus() > 0) {
      host.withNanoCPUs(limits.nanoCpus());
    }
    List<String> env = new ArrayList<>();
    f.env().forEach((k, v) -> env.add(k + "=" + v));
    extraEnv.forEach((k, v) -> env.add(k + "=" + v));
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(f.image())
            .withName(
                jobName == null
                    ? "cf-" + f.id().toString().substring(0, 8) + "-" + suffix
                    : "cf-" + f.id().toString().substring(0, 8) + "-" + jobName + "-" + suffix)
            .withLabels(labels)
            .withEnv(env)
            .withHostConfig(host);
    if (f.command() != null) {
      cmd.withCmd(f.command());
    }
    return cmd.exec().getId();
  }

  @Override
  public Mono<Void> remove(String workloadId) {
    return run(
        "remove container",
        () -> {
          try {
            docker.removeContainerCmd(workloadId).withForce(true).exec();
          } catch (NotFoundException gone) {
            // already removed
          }
        });
  }

  @Override
  public Flux<LogLine> logs(List<String> workloadIds, int tail, boolean follow) {
    return Flux.merge(workloadIds.stream().map(id -> logsOf(id, tail, follow)).toList());
  }

  private Flux<LogLine> logsOf(String id, int tail, boolean follow) {
    return Flux.<LogLine>create(
            sink -> {
              LogFrames callback = new LogFrames(sink);
              sink.onDispose(callback::closeQuietly);
              try {
                docker
                    .logContainerCmd(id)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withTimestamps(true)
                    .withFollowStream(follow)
                    .withTail(tail)
                    .exec(callback);
              } catch (NotFoundException gone) {
                sink.complete();
              } catch (RuntimeException failure) {
                sink.error(unavailable("read logs", failure));
              }
            },
            FluxSink.OverflowStrategy.BUFFER)
        .subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public Mono<Boolean> ping() {
    return call(
            "ping",
            () -> {
              docker.pingCmd().exec();
              return true;
            })
        .onErrorReturn(false);
  }

  private <T> Mono<T> call(String action, Callable<T> work) {
    return Mono.fromCallable(work)
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(
            failure -> !(failure instanceof ApiException), failure -> unavailable(action, failure));
  }

  private Mono<Void> run(String action, Runnable work) {
    return call(
            action,
            () -> {
              work.run();
              return true;
            })
        .then();
  }

  private static ApiException unavailable(String action, Throwable failure) {
    // The engine's own words may name host paths: they go to the log, not to the caller.
    return new ApiException(
        ErrorKind.SERVICE_UNAVAILABLE,
        "the container engine could not " + action,
        null,
        null,
        Map.of(),
        failure);
  }

  static Instant parseInstant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notIso) {
      return null;
    }
  }

  /** An image the engine cannot pull: the function's problem, not the engine's. */
  static final class ImageUnavailable extends ApiException {
    ImageUnavailable(String image, Throwable cause) {
      super(
          ErrorKind.BAD_REQUEST,
          "image '" + image + "' cannot be pulled",
          null,
          null,
          Map.of(),
          cause);
    }
  }

  /** Frames of a log stream, each line prefixed by the engine with its RFC 3339 timestamp. */
  private static final class LogFrames extends ResultCallback.Adapter<Frame> {
    private final FluxSink<LogLine> sink;
    private final StringBuilder partial = new StringBuilder();

    LogFrames(FluxSink<LogLine> sink) {
      this.sink = sink;
    }

    @Override
    public void onNext(Frame frame) {
      partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
      int newline;
      while ((newline = partial.indexOf("\n")) >= 0) {
        String line = partial.substring(0, newline);
        partial.delete(0, newline + 1);
        int space = line.indexOf(' ');
        Instant at = space > 0 ? parseInstant(line.substring(0, space)) : null;
        sink.next(new LogLine(at, at == null ? line : line.substring(space + 1)));
      }
    }

    @Override
    public void onError(Throwable failure) {
      sink.error(unavailable("read logs", failure));
    }

    @Override
    public void onComplete() {
      sink.complete();
    }

    void closeQuietly() {
      try {
        close();
      } catch (Exception ignored) {
        // the stream is gone either way
      }
    }
  }
}
