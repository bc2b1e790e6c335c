package dev.cumulus.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * Redis for the services: the server already answering on the configured address, else the
 * redis-server binary shipped in the embedded-redis jar, with its data directory persisting between
 * runs (append-only file).
 */
final class Redis {

  private Redis() {}

  static Endpoint ensure(String host, int port, Path dataDir) {
    return Endpoint.running("redis", "Redis", host, port)
        .orElseGet(() -> startEmbedded(port, dataDir));
  }

  private static Endpoint startEmbedded(int port, Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      RedisServer server =
          RedisServer.newRedisServer()
              .bind("127.0.0.1")
              .port(port)
              .setting("dir \"" + dataDir.toAbsolutePath() + "\"")
              .setting("appendonly yes")
              .setting("appendfsync everysec")
              .build();
      server.start();
      return new Endpoint("redis", "127.0.0.1", port, "embedded, data in " + dataDir, server::stop);
    } catch (IOException | RuntimeException e) {
      throw new DevStackException(
          "embedded Redis did not start on port " + port + ": " + e.getMessage(), e);
    }
  }
}
