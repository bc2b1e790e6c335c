package dev.cumulus.function;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.util.FileSystemUtils;

/**
 * A private registry of the test's own: Debian's {@code docker-registry} on a free loopback port
 * with htpasswd basic auth (one user, its bcrypt hash written here), and a podman Docker API
 * service of its own that trusts this plain-HTTP registry (its own {@code registries.conf} and
 * {@code containers.conf}, so the machine's podman configuration and service are left alone). Both
 * processes end with {@link #close()}.
 */
final class AuthenticatedRegistry implements AutoCloseable {

  static final String USER = "robot";

  final String password = UUID.randomUUID().toString();
  final String address;
  final String dockerHost;
  private final Path dir;
  private final Process registry;
  private final Process engine;

  private AuthenticatedRegistry() throws IOException {
    dir = Files.createTempDirectory("private-registry");
    int port = FreePorts.next();
    address = "127.0.0.1:" + port;
    Files.writeString(
        dir.resolve("htpasswd"), USER + ":" + BCrypt.hashpw(password, BCrypt.gensalt(10)) + "\n");
    Files.writeString(
        dir.resolve("config.yml"),
        """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: %s
        auth:
          htpasswd:
            realm: cumulus-test
            path: %s
        """
            .formatted(dir.resolve("data"), address, dir.resolve("htpasswd")));
    registry = start(List.of("docker-registry", "serve", dir.resolve("config.yml").toString()));
    // podman reads registries.conf once, at its start: a service of our own trusts our registry.
    Files.writeString(
        dir.resolve("registries.conf"),
        """
        [[registry]]
        location = "%s"
        insecure = true
        """
            .formatted(address));
    // And its own containers.conf: deploy/podman/start.sh's settings for this machine (no systemd
    // or journald; no default ulimits, which exceed the hard limits a container here may set).
    Files.writeString(
        dir.resolve("containers.conf"),
        """
        [containers]
        default_ulimits = []
        [engine]
        cgroup_manager = "cgroupfs"
        runtime = "runc"
        events_logger = "file"
        """);
    Path socket = dir.resolve("podman.sock");
    dockerHost = "unix://" + socket;
    ProcessBuilder service =
        new ProcessBuilder("podman", "system", "service", "--time=0", dockerHost)
            .directory(Path.of("/").toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("podman-service.log").toFile());
    service.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    service
        .environment()
        .put("CONTAINERS_REGISTRIES_CONF", dir.resolve("registries.conf").toString());
    engine = service.start();
    awaitListening(port);
    awaitFile(socket);
  }

  /**
   * The registry and its engine; the calling test (or class) is skipped when podman,
   * docker-registry or busybox is missing.
   */
  static AuthenticatedRegistry start() {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "podman is not installed");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/docker-registry")),
        "docker-registry is not installed: apt-get install docker-registry");
    assumeTrue(
        Files.isExecutable(Path.of(ContainerTestEngine.BUSYBOX)),
        "busybox is not installed: apt-get install busybox-static");
    try {
      return new AuthenticatedRegistry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the registry asks for credentials (401 to an anonymous {@code /v2/}). */
  int anonymousStatus() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /**
   * A busybox image built here and pushed with the credentials; the local copy is removed, so an
   * engine has to pull it from the registry.
   */
  String pushBusybox() throws IOException {
    Path context = Files.createDirectories(dir.resolve("image"));
    Files.copy(Path.of(ContainerTestEngine.BUSYBOX), context.resolve("busybox"));
    Files.writeString(
        context.resolve("Containerfile"),
        """
        FROM scratch
        COPY busybox /bin/busybox
        COPY busybox /bin/sh
        STOPSIGNAL SIGKILL
        CMD ["/bin/busybox", "sleep", "3600"]
        """);
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String local = "localhost/cumulus-test-build/private-" + tag;
    ContainerTestEngine.podman(
        "build",
        "-q",
        "-t",
        local,
        "-f",
        context.resolve("Containerfile").toString(),
        "" + context);
    String image = address + "/team/app:" + tag;
    ContainerTestEngine.podman(
        "push",
        "-q",
        "--tls-verify=false",
        "--creds",
        USER + ":" + password,
        local,
        "docker://" + image);
    ContainerTestEngine.podman("rmi", "-f", local);
    return image;
  }

  /** Ends both processes and removes the registry's files. */
  @Override
  public void close() {
    for (Process p : new Process[] {engine, registry}) {
      if (p == null) {
        continue;
      }
      p.destroy();
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      FileSystemUtils.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .directory(Path.of("/").toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(command.getFirst() + ".log").toFile())
        .start();
  }

  private void awaitListening(int port) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        pause();
      }
    }
    String log = log("docker-registry.log");
    close();
    throw new IllegalStateException("docker-registry did not listen on " + address + ":\n" + log);
  }

  private void awaitFile(Path socket) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (!Files.exists(socket)) {
      if (Instant.now().isAfter(deadline) || !engine.isAlive()) {
        String log = log("podman-service.log");
        close();
        throw new IllegalStateException("podman system service did not start:\n" + log);
      }
      pause();
    }
  }

  /** A log of ours, for a failure's message (close() removes it). */
  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return "(no " + name + ")";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(Duration.ofMillis(200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
