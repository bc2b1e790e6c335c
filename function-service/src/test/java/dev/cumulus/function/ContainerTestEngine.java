package dev.cumulus.function;

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
 * The real engine and registry the container-function tests run on: podman's Docker API ({@code
 * CUMULUS_TEST_DOCKER_HOST}, default {@code unix:///run/podman.sock}) and the local registry at
 * {@code 127.0.0.1:5000} ({@code deploy/podman/start.sh}). The test image is built {@code FROM
 * scratch} with Debian's static busybox, as updater-service's tests build theirs (a shared test
 * helper would belong in platform's test support).
 *
 * <p>Tests skip (JUnit assumption) when podman, its socket, the registry or busybox is missing.
 */
final class ContainerTestEngine {

  static final String REGISTRY = "127.0.0.1:5000";
  static final String BUSYBOX = "/bin/busybox";
  private static String image;

  private ContainerTestEngine() {}

  static String dockerHost() {
    String host = System.getenv("CUMULUS_TEST_DOCKER_HOST");
    return host == null || host.isBlank() ? "unix:///run/podman.sock" : host;
  }

  /** Whether podman, its socket, the registry and busybox are all there. */
  static boolean available() {
    String host = dockerHost();
    return Files.isExecutable(Path.of("/usr/bin/podman"))
        && (!host.startsWith("unix://")
            || Files.exists(Path.of(host.substring("unix://".length()))))
        && registryAnswers()
        && Files.isExecutable(Path.of(BUSYBOX));
  }

  static void assumeAvailable() {
    String host = dockerHost();
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/podman")),
        "podman is not installed: apt-get install podman runc, then bash deploy/podman/start.sh");
    assumeTrue(
        !host.startsWith("unix://") || Files.exists(Path.of(host.substring("unix://".length()))),
        "no Docker API at " + host + ": run bash deploy/podman/start.sh (podman system service)");
    assumeTrue(registryAnswers(), "no registry at " + REGISTRY + ": bash deploy/podman/start.sh");
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

  /**
   * A busybox image in the local registry (built and pushed once per test JVM): the service pulls
   * it from there, as it would any image.
   */
  static synchronized String busyboxImage() {
    if (image != null) {
      return image;
    }
    try {
      Path context = Files.createTempDirectory("function-image");
      Files.copy(Path.of(BUSYBOX), context.resolve("busybox"));
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
      String local = "localhost/cumulus-test-build/fn-" + tag;
      podman(
          "build",
          "-q",
          "-t",
          local,
          "-f",
          context.resolve("Containerfile").toString(),
          context.toString());
      String pushed = REGISTRY + "/cumulus-test/fn-busybox:" + tag;
      podman("push", "-q", "--tls-verify=false", local, "docker://" + pushed);
      podman("rmi", "-f", local);
      image = pushed;
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ids of the engine's containers of a tenant (running or not). */
  static List<String> containersOf(String tenantId, boolean runningOnly) {
    List<String> args = new ArrayList<>(List.of("ps", "-q", "--no-trunc"));
    if (!runningOnly) {
      args.add("-a");
    }
    args.addAll(List.of("--filter", "label=dev.cumulus.tenant=" + tenantId));
    String ids = podman(args.toArray(String[]::new)).trim();
    return ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
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
