package dev.cumulus.platform.testsupport;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Adobe's S3Mock (com.adobe.testing:s3mock, a Spring Boot application from Maven Central) as a
 * separate process, started once per test JVM: its own JVM keeps its Spring Boot and AWS versions
 * away from ours. The failsafe run copies the jar to {@code target/s3mock/s3mock.jar} (the pom's
 * maven-dependency-plugin execution in the module that uses it) and names it in the {@code
 * s3mock.jar} system property.
 */
public final class S3MockServer {

  private static S3MockServer started;

  private final Process process;
  private final int port;

  /** Test classes of one JVM share the server: each names the buckets it needs. */
  private final Set<String> buckets = new HashSet<>();

  private S3MockServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The running server (started on first use), with {@code buckets} created (once each). */
  public static synchronized S3MockServer shared(String... buckets) {
    if (started == null) {
      started = start(buckets);
      started.buckets.addAll(List.of(buckets));
    }
    for (String bucket : buckets) {
      if (started.buckets.add(bucket)) {
        started.create(bucket);
      }
    }
    return started;
  }

  private void create(String bucket) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(endpoint() + "/" + bucket).toURL().openConnection();
      connection.setRequestMethod("PUT");
      int status = connection.getResponseCode();
      connection.disconnect();
      if (status != 200) {
        throw new IllegalStateException("S3Mock answered " + status + " to creating " + bucket);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create bucket " + bucket + " in S3Mock", e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  private static S3MockServer start(String... buckets) {
    Path jar = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Mock's jar is not at "
              + jar.toAbsolutePath()
              + ": run the ITs through Maven (pre-integration-test copies it from ~/.m2)");
    }
    try {
      int port;
      try (ServerSocket free = new ServerSocket(0)) {
        port = free.getLocalPort();
      }
      // S3Mock deletes its store root on exit: a directory of its own.
      Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "s3mock-store-");
      Path log = root.resolveSibling(root.getFileName() + ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-jar");
      command.add(jar.toAbsolutePath().toString());
      command.add("--com.adobe.testing.s3mock.httpPort=" + port);
      command.add("--server.port=0");
      command.add("--com.adobe.testing.s3mock.store.root=" + root);
      command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets));
      command.add("--logging.level.root=WARN");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "S3Mock exited with " + process.exitValue() + "; its log: " + Files.readString(log));
        }
        if (answers(port)) {
          return new S3MockServer(process, port);
        }
        Thread.sleep(250);
      }
      process.destroy();
      throw new IllegalStateException("S3Mock did not answer within 90 s; its log: " + log);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start S3Mock", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean answers(int port) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
      connection.setConnectTimeout(500);
      connection.setReadTimeout(2000);
      int status = connection.getResponseCode();
      connection.disconnect();
      return status > 0;
    } catch (IOException notYet) {
      return false;
    }
  }
}
