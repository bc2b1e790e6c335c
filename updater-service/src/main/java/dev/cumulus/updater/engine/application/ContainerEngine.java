package dev.cumulus.updater.engine.application;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import dev.cumulus.platform.docker.PullProgress;
import dev.cumulus.updater.engine.domain.EngineContainer;
import dev.cumulus.updater.engine.domain.EngineImage;
import dev.cumulus.updater.engine.domain.EngineInfo;
import dev.cumulus.updater.engine.domain.EngineStats;
import dev.cumulus.updater.engine.domain.ExecResult;
import dev.cumulus.updater.engine.domain.LogLine;
import dev.cumulus.updater.engine.domain.RunSpec;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.registry.domain.RegistryCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Docker Engine API (Docker, or podman's compatible service) through docker-java. docker-java
 * blocks, so every call runs on the bounded elastic scheduler, never on an event loop.
 */
@Component
public class ContainerEngine {

  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

  private final DockerClient docker;

  public ContainerEngine(DockerClient docker) {
    this.docker = docker;
  }

  /** Creates the container (pulling its image when missing locally) and starts it. */
  public Mono<String> run(RunSpec spec) {
    return ensureImage(spec.image())
        .then(call("create container", () -> create(spec)))
        .flatMap(
            id ->
                start(id)
                    .onErrorResume(failure -> remove(id).then(Mono.error(failure)))
                    .thenReturn(id));
  }

  /** Creates the container without starting it. */
  public Mono<String> create(RunSpec spec, boolean pullIfMissing) {
    Mono<Void> image = pullIfMissing ? ensureImage(spec.image()).then() : Mono.empty();
    return image.then(call("create container", () -> create(spec)));
  }

  private String create(RunSpec spec) {
    Ports bindings = new Ports();
    List<ExposedPort> exposed = new ArrayList<>();
    for (RunSpec.PortBinding port : spec.ports()) {
      ExposedPort exposedPort =
          new ExposedPort(port.container(), InternetProtocol.parse(port.protocol()));
      exposed.add(exposedPort);
      bindings.bind(
          exposedPort,
          port.host() > 0 ? Ports.Binding.bindPort(port.host()) : Ports.Binding.empty());
    }
    List<Bind> binds =
        spec.volumes().stream()
            .map(
                v ->
                    new Bind(
                        v.host(),
                        new Volume(v.container()),
                        "ro".equals(v.mode()) ? AccessMode.ro : AccessMode.rw))
            .toList();
    HostConfig host =
        HostConfig.newHostConfig()
            .withPortBindings(bindings)
            .withBinds(binds)
            .withRestartPolicy(RestartPolicy.parse(spec.restartPolicy()));
    if (spec.memoryBytes() > 0) {
      host.withMemory(spec.memoryBytes());
    }
    if (spec.nanoCpus() > 0) {
      host.withNanoCPUs(spec.nanoCpus());
    }
    if (!spec.networks().isEmpty()) {
      host.withNetworkMode(spec.networks().getFirst());
    }
    return docker
        .createContainerCmd(spec.image())
        .withName(spec.name())
        .withEnv(
            spec.environment().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toList())
        .withLabels(spec.labels())
        .withExposedPorts(exposed)
        .withHostConfig(host)
        .exec()
        .getId();
  }

  public Mono<Void> start(String id) {
    return run(
        "start container",
        () -> {
          try {
            docker.startContainerCmd(id).exec();
          } catch (NotModifiedException alreadyRunning) {
            // starting a running container is a no-op
          }
        });
  }

  public Mono<Void> stop(String id, int timeoutSeconds, boolean force) {
    return run(
        "stop container",
        () -> {
          try {
            if (force) {
              docker.killContainerCmd(id).exec();
            } else {
              docker.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
            }
          } catch (NotModifiedException alreadyStopped) {
            // stopping a stopped container is a no-op
          } catch (com.github.dockerjava.api.exception.ConflictException notRunning) {
            // kill of a stopped container: already where the caller wants it
          }
        });
  }

  public Mono<Void> restart(String id, int timeoutSeconds) {
    return run(
        "restart container",
        () -> docker.restartContainerCmd(id).withTimeout(timeoutSeconds).exec());
  }

  /** Removes the container; one that is already gone is fine. */
  public Mono<Void> remove(String id) {
    return run(
        "remove container",
        () -> {
          try {
            docker.removeContainerCmd(id).withForce(true).exec();
          } catch (NotFoundException gone) {
            // already removed
          }
        });
  }

  public Mono<Void> rename(String id, String name) {
    return run("rename container", () -> docker.renameContainerCmd(id).withName(name).exec());
  }

  /** The container, or empty when the engine no longer has it. */
  public Mono<EngineContainer> inspect(String id) {
    return call(
            "inspect container",
            () -> {
              try {
                return Optional.of(toContainer(docker.inspectContainerCmd(id).exec()));
              } catch (NotFoundException gone) {
                return Optional.<EngineContainer>empty();
              }
            })
        .flatMap(Mono::justOrEmpty);
  }

  /** Ids of the engine's containers carrying all these labels. */
  public Mono<List<String>> idsLabelled(Map<String, String> labels) {
    return call(
        "list containers",
        () ->
            docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                .map(c -> c.getId())
                .toList());
  }

  /** Pulls the image from its registry; answers the local image afterwards. */
  public Mono<EngineImage> pull(String image) {
    return pull(image, null);
  }

  /**
   * Pulls the image with a registry login (null: anonymously); the engine gets it for this pull
   * only ({@code X-Registry-Auth}), nothing is stored on the engine's side.
   */
  public Mono<EngineImage> pull(String image, RegistryCredentials login) {
    return call(
        "pull image",
        () -> {
          try {
            var pull = docker.pullImageCmd(image);
            if (login != null) {
              pull =
                  pull.withAuthConfig(
                      new AuthConfig()
                          .withUsername(login.username())
                          .withPassword(login.password())
                          .withRegistryAddress(ImageReference.parse(image).registry()));
            }
            pull.exec(new PullProgress())
                .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return toImage(docker.inspectImageCmd(image).exec());
          } catch (RuntimeException failed) {
            // An engine that still answers could not pull: the image is the caller's problem
            // (podman reports an unknown image as a 500, or ends the progress stream early). An
            // engine out of reach stays a 503.
            try {
              docker.pingCmd().exec();
            } catch (RuntimeException down) {
              throw failed;
            }
            throw EngineErrors.imageNotPullable(image, failed);
          }
        });
  }

  /** The local image, pulled first when the engine does not have it. */
  public Mono<EngineImage> ensureImage(String image) {
    return inspectImage(image).switchIfEmpty(Mono.defer(() -> pull(image)));
  }

  /** The local image, or empty. */
  public Mono<EngineImage> inspectImage(String image) {
    return call(
            "inspect image",
            () -> {
              try {
                return Optional.of(toImage(docker.inspectImageCmd(image).exec()));
              } catch (NotFoundException missing) {
                return Optional.<EngineImage>empty();
              }
            })
        .flatMap(Mono::justOrEmpty);
  }

  public Mono<List<EngineImage>> images() {
    return call(
        "list images",
        () ->
            docker.listImagesCmd().exec().stream()
                .map(
                    i ->
                        new EngineImage(
                            i.getId(),
                            list(i.getRepoTags()),
                            list(i.getRepoDigests()),
                            i.getSize() == null ? 0 : i.getSize(),
                            i.getCreated() == null ? null : Instant.ofEpochSecond(i.getCreated())))
                .toList());
  }

  /**
   * The container's output, oldest first.
   *
   * @param tail lines from the end, or -1 for all
   * @param follow keep streaming new lines until the subscriber cancels
   */
  public Flux<LogLine> logs(String id, int tail, Instant since, Instant until, boolean follow) {
    return Flux.<LogLine>create(
            sink -> {
              var cmd =
                  docker
                      .logContainerCmd(id)
                      .withStdOut(true)
                      .withStdErr(true)
                      .withTimestamps(true)
                      .withFollowStream(follow);
              if (tail >= 0) {
                cmd.withTail(tail);
              }
              if (since != null) {
                cmd.withSince((int) since.getEpochSecond());
              }
              if (until != null) {
                cmd.withUntil((int) until.getEpochSecond());
              }
              ResultCallback.Adapter<Frame> callback = new LogFrames(sink);
              sink.onDispose(() -> closeQuietly(callback));
              try {
                cmd.exec(callback);
              } catch (RuntimeException failure) {
                sink.error(EngineErrors.of("read logs", failure));
              }
            },
            FluxSink.OverflowStrategy.BUFFER)
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** One stats sample (the engine samples twice for the CPU percentage). */
  public Mono<EngineStats> stats(String id) {
    return call(
        "read stats",
        () -> {
          var callback =
              new ResultCallback.Adapter<Statistics>() {
                volatile Statistics last;

                @Override
                public void onNext(Statistics stats) {
                  last = stats;
                }
              };
          docker
              .statsCmd(id)
              .withNoStream(true)
              .exec(callback)
              .awaitCompletion(30, TimeUnit.SECONDS);
          return Optional.ofNullable(callback.last)
              .map(StatsReading::of)
              .orElseThrow(() -> new IllegalStateException("engine sent no statistics"));
        });
  }

  /** Runs a command inside the running container and waits for it. */
  public Mono<ExecResult> exec(String id, List<String> command, Duration timeout) {
    return call(
        "exec in container",
        () -> {
          String execId =
              docker
                  .execCreateCmd(id)
                  .withCmd(command.toArray(String[]::new))
                  .withAttachStdout(true)
                  .withAttachStderr(true)
                  .exec()
                  .getId();
          ByteArrayOutputStream output = new ByteArrayOutputStream();
          boolean finished =
              docker
                  .execStartCmd(execId)
                  .exec(
                      new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                          if (output.size() < 4096) {
                            output.writeBytes(frame.getPayload());
                          }
                        }
                      })
                  .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
          if (!finished) {
            return new ExecResult(-1, "timed out after " + timeout.toSeconds() + "s");
          }
          Long exit = docker.inspectExecCmd(execId).exec().getExitCodeLong();
          return new ExecResult(exit == null ? -1 : exit, output.toString(StandardCharsets.UTF_8));
        });
  }

  public Mono<EngineInfo> info() {
    return call(
        "read engine info",
        () -> {
          var version = docker.versionCmd().exec();
          var info = docker.infoCmd().exec();
          return new EngineInfo(
              info.getOperatingSystem() == null ? "engine" : info.getOperatingSystem(),
              version.getVersion(),
              version.getApiVersion(),
              version.getOperatingSystem(),
              version.getArch(),
              info.getNCPU() == null ? 0 : info.getNCPU(),
              info.getMemTotal() == null ? 0 : info.getMemTotal());
        });
  }

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
        .onErrorMap(failure -> EngineErrors.of(action, failure));
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

  private static EngineContainer toContainer(InspectContainerResponse c) {
    var state = c.getState();
    String name =
        c.getName() != null && c.getName().startsWith("/") ? c.getName().substring(1) : c.getName();
    return new EngineContainer(
        c.getId(),
        name,
        state.getStatus(),
        c.getImageId(),
        parseInstant(state.getStartedAt()),
        state.getExitCodeLong() == null ? null : state.getExitCodeLong().intValue());
  }

  private static EngineImage toImage(InspectImageResponse i) {
    return new EngineImage(
        i.getId(),
        list(i.getRepoTags()),
        list(i.getRepoDigests()),
        i.getSize() == null ? 0 : i.getSize(),
        parseInstant(i.getCreated()));
  }

  private static List<String> list(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : List.of(values);
  }

  static Instant parseInstant(String value) {
    if (value == null || value.isBlank() || value.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notIso) {
      return null;
    }
  }

  private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
    try {
      callback.close();
    } catch (Exception ignored) {
      // the stream is gone either way
    }
  }

  /** Frames of a log stream, each a line prefixed with its RFC 3339 timestamp. */
  private static final class LogFrames extends ResultCallback.Adapter<Frame> {
    private final FluxSink<LogLine> sink;

    LogFrames(FluxSink<LogLine> sink) {
      this.sink = sink;
    }

    @Override
    public void onNext(Frame frame) {
      String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
      String source = frame.getStreamType() == StreamType.STDERR ? "stderr" : "stdout";
      for (String line : text.split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        int space = line.indexOf(' ');
        Instant at = space > 0 ? parseInstant(line.substring(0, space)) : null;
        sink.next(new LogLine(at, source, at == null ? line : line.substring(space + 1)));
      }
    }

    @Override
    public void onError(Throwable failure) {
      sink.error(EngineErrors.of("read logs", failure));
    }

    @Override
    public void onComplete() {
      sink.complete();
    }
  }
}
