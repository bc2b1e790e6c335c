package dev.cumulus.updater;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The real container engine and registry the updater tests run against: podman's Docker API ({@code
 * CUMULUS_TEST_DOCKER_HOST}, default {@code unix:///run/podman.sock}) and the local registry at
 * {@code 127.0.0.1:5000} (both started by {@code deploy/podman/start.sh}). Test images are built
 * {@code FROM scratch} with Debian's static busybox: {@code busybox httpd} serves {@code /www}, and
 * the health check fetches {@code /health}, which a "broken" image lacks.
 *
 * <p>Tests skip (JUnit assumption) when podman, the socket, the registry or busybox is missing.
 */
final class TestEngine {

  static final String REGISTRY = "127.0.0.1:5000";
  static final String BUSYBOX = "/bin/busybox";

  /** The health check of the test images: exit 0 only when {@code /health} is served. */
  static final List<String> HEALTH_COMMAND =
      List.of("/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health");

  private TestEngine() {}

  static String dockerHost() {
    String host = System.getenv("CUMULUS_TEST_DOCKER_HOST");
    return host == null || host.isBlank() ? "unix:///run/podman.sock" : host;
  }

  /** Skips the calling test unless podman, its API socket, the registry and busybox are there. */
  static void assumeAvailable() {
    String host = dockerHost();
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/podman")),
        "podman is not installed: apt-get install podman runc, then bash deploy/podman/start.sh");
    assumeTrue(
        !host.startsWith("unix://") || Files.exists(Path.of(host.substring("unix://".length()))),
        "no Docker API at " + host + ": run bash deploy/podman/start.sh (podman system service)");
    assumeTrue(
        registryAnswers(),
        "no registry at "
            + REGISTRY
            + ": apt-get install docker-registry, then bash"
            + " deploy/podman/start.sh");
    assumeTrue(
        Files.isExecutable(Path.of(BUSYBOX)),
        "busybox is not installed: apt-get install busybox-static");
  }

  private static boolean registryAnswers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5000), 1000);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** A repository of its own in the local registry, for one test run. */
  static String newRepository(String name) {
    return REGISTRY + "/cumulus-test/" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Builds a web image serving {@code version} and pushes it as {@code repository:tag}; a broken
   * one serves no {@code /health}. The build lives under a local name only, so the service pulls
   * the pushed image from the registry as it would in production.
   *
   * @return the registry's manifest digest
   */
  static String pushWebImage(String repository, String tag, String version, boolean healthy) {
    return pushWebImage(repository, tag, version, healthy, null);
  }

  /** The same, pushed with {@code user:password} to a registry that wants a login. */
  static String pushWebImage(
      String repository, String tag, String version, boolean healthy, String credentials) {
    try {
      Path context = Files.createTempDirectory("updater-image");
      Files.copy(Path.of(BUSYBOX), context.resolve("busybox"));
      Path www = Files.createDirectories(context.resolve("www"));
      Files.writeString(www.resolve("version"), version + "\n");
      if (healthy) {
        Files.writeString(www.resolve("health"), "ok\n");
      }
      Files.writeString(
          context.resolve("Containerfile"),
          """
          FROM scratch
          COPY busybox /bin/busybox
          COPY busybox /bin/sh
          COPY www /www
          # httpd runs as PID 1, which ignores SIGTERM: stop it without the 10 s grace period.
          STOPSIGNAL SIGKILL
          CMD ["/bin/busybox", "httpd", "-f", "-v", "-p", "8080", "-h", "/www"]
          """);
      String local = "localhost/cumulus-test-build/" + UUID.randomUUID().toString().substring(0, 8);
      podman(
          "build",
          "-q",
          "-t",
          local,
          "-f",
          context.resolve("Containerfile").toString(),
          context.toString());
      Path digestFile = context.resolve("digest");
      List<String> push =
          new ArrayList<>(
              List.of("push", "-q", "--tls-verify=false", "--digestfile", digestFile.toString()));
      if (credentials != null) {
        push.addAll(List.of("--creds", credentials));
      }
      push.addAll(List.of(local, "docker://" + repository + ":" + tag));
      podman(push.toArray(String[]::new));
      podman("rmi", "-f", local);
      return Files.readString(digestFile).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every container the tests left behind under this tenant label. */
  static void removeContainersOf(String tenantId) {
    String ids = podman("ps", "-aq", "--filter", "label=dev.cumulus.tenant=" + tenantId).trim();
    for (String id : ids.split("\\s+")) {
      if (!id.isBlank()) {
        podman("rm", "-f", id);
      }
    }
  }

  static String podman(String... args) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
