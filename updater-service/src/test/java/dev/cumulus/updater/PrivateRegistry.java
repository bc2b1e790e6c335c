package dev.cumulus.updater;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cumulus.platform.testsupport.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A Debian {@code docker-registry} behind htpasswd (Basic auth), started once per test JVM on a
 * free loopback port and stopped with it.
 *
 * <p>{@link #PLAIN} speaks HTTP; its address is in the service's plain-HTTP registry list ({@link
 * UpdaterTestProperties}), so the service's registry checks reach it. The engine will not pull from
 * it: podman speaks plain HTTP only to registries marked insecure in {@code registries.conf}, which
 * its service reads once when it starts.
 *
 * <p>{@link #TLS} speaks HTTPS with a self-signed certificate made by {@code openssl} at start-up,
 * which podman trusts through {@code /etc/containers/certs.d/<host:port>/ca.crt} (read at every
 * pull): the engine pulls from it with a tenant's login, as from any real private registry.
 */
final class PrivateRegistry {

  static final String USER = "robot";
  static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());
  static final PrivateRegistry PLAIN = new PrivateRegistry(false);
  static final PrivateRegistry TLS = new PrivateRegistry(true);
  private static final Path BINARY = Path.of("/usr/bin/docker-registry");
  private static final Path ENGINE_CERTS = Path.of("/etc/containers/certs.d");

  private final int port = FreePorts.next();
  private final boolean tls;
  private Process process;

  private PrivateRegistry(boolean tls) {
    this.tls = tls;
  }

  /** {@code 127.0.0.1:<port>}, as image references and registry logins name it. */
  String host() {
    return "127.0.0.1:" + port;
  }

  /** Starts it (once), or skips the calling test when it cannot be started here. */
  synchronized void start() {
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
          %s
          auth:
            htpasswd:
              realm: cumulus-test
              path: %s
          """
              .formatted(
                  dir.resolve("data"),
                  host(),
                  tls ? tlsSection(dir) : "",
                  dir.resolve("htpasswd")));
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

  /**
   * A self-signed certificate for 127.0.0.1, made with openssl and handed to podman as the CA of
   * this host:port (removed again when the JVM ends). Skips when openssl is missing or podman's
   * certificate directory cannot be written (podman run rootless).
   */
  private String tlsSection(Path dir) throws IOException, InterruptedException {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("openssl.log").toFile())
            .start();
    assumeTrue(
        openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0,
        "openssl could not make a certificate: see " + dir.resolve("openssl.log"));
    Path trusted = ENGINE_CERTS.resolve(host());
    try {
      Files.createDirectories(trusted);
      Files.copy(cert, trusted.resolve("ca.crt"));
    } catch (IOException notRoot) {
      assumeTrue(
          false, "cannot make podman trust the test registry in " + trusted + ": " + notRoot);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(trusted.resolve("ca.crt"));
                    Files.deleteIfExists(trusted);
                  } catch (IOException ignored) {
                    // a leftover CA for a loopback port nobody serves any more
                  }
                }));
    return """
          tls:
            certificate: %s
            key: %s
        """
        .formatted(cert, key);
  }

  private boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }
}
