package dev.cumulus.updater;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A second Debian {@code docker-registry}, behind htpasswd (Basic auth), started once per test JVM
 * on a free loopback port and stopped with it. Its address is in the service's plain-HTTP registry
 * list ({@link UpdaterTestProperties}).
 */
final class PrivateRegistry {

  static final int PORT = FreePorts.next();
  static final String HOST = "127.0.0.1:" + PORT;
  static final String USER = "robot";
  static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());
  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static Process process;

  private PrivateRegistry() {}

  /** Starts it (once), or skips the calling test when Debian's docker-registry is missing. */
  static synchronized void start() {
    assumeTrue(
        Files.isExecutable(BINARY),
        "docker-registry is not installed: apt-get install docker-registry");
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      Path dir = Files.createTempDirectory("private-registry");
      Files.writeString(
          dir.resolve("htpasswd"),
          USER + ":" + new BCryptPasswordEncoder().encode(PASSWORD) + "\n");
      Files.writeString(
          dir.resolve("config.yml"),
          """
          version: 0.1
          log:
            level: warn
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
              .formatted(dir.resolve("data"), HOST, dir.resolve("htpasswd")));
      process =
          new ProcessBuilder(BINARY.toString(), "serve", dir.resolve("config.yml").toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      for (int i = 0; i < 100 && !answers(); i++) {
        Thread.sleep(100);
      }
      assumeTrue(
          answers(), "the private registry did not start: see " + dir.resolve("registry.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", PORT), 200);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }
}
