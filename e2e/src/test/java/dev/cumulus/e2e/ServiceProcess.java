package dev.cumulus.e2e;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Cumulus service running from its executable jar as a separate JVM, as in production: its own
 * process, port, database and log file. Tests may kill it hard to prove what survives a crash.
 */
final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final int actuatorPort;
  private final Path log;
  private final Process process;
  private final Instant launched = Instant.now();

  private ServiceProcess(String name, int port, int actuatorPort, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.actuatorPort = actuatorPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts the module's jar with the environment given (on top of this JVM's) and waits until its
   * readiness probe answers UP.
   */
  static ServiceProcess start(String module, int port, Map<String, String> env) {
    return start(module, port, env, List.of());
  }

  /** As {@link #start(String, int, Map)}, with extra Spring arguments ({@code --name=value}). */
  static ServiceProcess start(
      String module, int port, Map<String, String> env, List<String> arguments) {
    return launch(module, port, env, arguments).awaitReady();
  }

  /**
   * Starts the module's jar without waiting for it: services that do not need each other ready
   * (only each other's address) start side by side, then {@link #awaitReady()} each.
   */
  static ServiceProcess launch(
      String module, int port, Map<String, String> env, List<String> arguments) {
    Path jar = jarOf(module);
    Path log = logs().resolve(module + "-" + port + ".log");
    // The gateway's actuator has a port of its own (loopback), the services' is theirs.
    int actuatorPort = module.equals("gateway") ? FreePorts.next() : port;
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-Xmx192m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-jar",
            jar.toString(),
            "--server.port=" + port));
    if (actuatorPort != port) {
      command.add("--management.server.port=" + actuatorPort);
    }
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("CUMULUS_LOG_FORMAT", "text");
    builder.environment().putAll(env);
    try {
      return new ServiceProcess(module, port, actuatorPort, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + module, e);
    }
  }

  /**
   * Waits (180 s at most) for the readiness probe to answer UP; stops the process if not. Says how
   * long the start took (the test output is where slow start-ups show).
   */
  ServiceProcess awaitReady() {
    awaitReady(Duration.ofSeconds(180));
    System.out.printf(
        "e2e: %s ready %.1f s after launch%n",
        name, Duration.between(launched, Instant.now()).toMillis() / 1000.0);
    return this;
  }

  /**
   * Launched side by side, then awaited: the slowest start-up sets the time, not their sum. If one
   * does not become ready, all are stopped.
   */
  static void awaitAllReady(List<ServiceProcess> services) {
    try {
      services.forEach(ServiceProcess::awaitReady);
    } catch (RuntimeException e) {
      closeAll(services);
      throw e;
    }
  }

  /** Stops the services given, last first. */
  static void closeAll(List<ServiceProcess> services) {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).close();
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** SIGKILL: no shutdown hooks, no graceful drain — a crash. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  @Override
  public void close() {
    process.destroy();
    waitForExit();
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    HttpRequest probe =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + actuatorPort + "/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited during start-up (code " + process.exitValue() + "):\n" + tail());
      }
      try {
        HttpResponse<String> response = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(Duration.ofMillis(250));
    }
    close();
    throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + tail());
  }

  /** The end of the service's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path jarOf(String module) {
    String root = System.getProperty("cumulus.e2e.root", "..");
    String version = System.getProperty("cumulus.e2e.version", "0.1.0-SNAPSHOT");
    Path jar = Path.of(root, module, "target", module + "-" + version + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the services first (./mvnw -B verify builds them before e2e)");
    }
    return jar;
  }

  private static Path logs() {
    Path dir = Path.of(System.getProperty("cumulus.e2e.logs", "target/e2e-logs"));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
