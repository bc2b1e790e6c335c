package dev.cumulus.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * PostgreSQL for the services: the server already answering on the configured address, else an
 * embedded one (zonky) whose data directory persists between runs.
 */
final class Postgres {

  private Postgres() {}

  static Endpoint ensure(String host, int port, Path dataDir) {
    Optional<Endpoint> running = Endpoint.running("postgres", "PostgreSQL", host, port);
    if (running.isPresent()) {
      return running.get();
    }
    if (Processes.runningAsRoot()) {
      throw new DevStackException(rootHelp(host, port));
    }
    return startEmbedded(port, dataDir);
  }

  private static Endpoint startEmbedded(int port, Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres server =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false) // keep the data: initdb runs on first start only
              .setPort(port)
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      return new Endpoint("postgres", "127.0.0.1", port, "embedded, data in " + dataDir, server);
    } catch (IOException | RuntimeException e) {
      throw new DevStackException(
          "embedded PostgreSQL did not start on port " + port + ": " + e.getMessage(), e);
    }
  }

  private static String rootHelp(String host, int port) {
    return """
        nothing answers on PostgreSQL %s:%d, and the embedded PostgreSQL cannot start:
        initdb and postgres refuse to run as root. Either start a local PostgreSQL, e.g.
          Debian/Ubuntu:  apt-get install postgresql
                          pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start
          (the services log in as user 'postgres'; set CUMULUS_PG_USER / CUMULUS_PG_PASSWORD
           if your server needs other credentials)
        or point CUMULUS_PG_HOST / CUMULUS_PG_PORT at a running server,
        or run ./cumulus up as an ordinary (non-root) user."""
        .formatted(host, port);
  }
}
