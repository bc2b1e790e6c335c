package dev.cumulus.devstack;

import java.util.Optional;

/**
 * A server the services can reach: where it answers, what it is, and how to stop it when devstack
 * started it (a server that was already running is borrowed and left alone).
 *
 * @param name what it is, e.g. {@code postgres}
 * @param host host the services connect to
 * @param port port the services connect to
 * @param origin where it comes from, e.g. {@code local server} or {@code embedded}
 * @param stopper stops it; a no-op for a borrowed server
 */
public record Endpoint(String name, String host, int port, String origin, AutoCloseable stopper)
    implements AutoCloseable {

  /** A server that was already running: devstack uses it and never stops it. */
  static Endpoint borrowed(String name, String host, int port) {
    return new Endpoint(name, host, port, "local server", () -> {});
  }

  /**
   * The server already answering at {@code host:port}, borrowed; empty when none answers and an
   * embedded one may be started instead. Fails when none answers off this machine, since devstack
   * only starts embedded servers on the loopback address.
   *
   * @param product what it is, for the message, e.g. {@code PostgreSQL}
   */
  static Optional<Endpoint> running(String name, String product, String host, int port) {
    if (Ports.isOpen(host, port)) {
      return Optional.of(borrowed(name, host, port));
    }
    if (!Ports.isLoopback(host)) {
      throw new DevStackException(
          "nothing answers on "
              + product
              + " "
              + host
              + ":"
              + port
              + ", and devstack only starts an embedded server on this machine (127.0.0.1).");
    }
    return Optional.empty();
  }

  public String address() {
    return host + ":" + port;
  }

  @Override
  public void close() throws Exception {
    stopper.close();
  }

  @Override
  public String toString() {
    return name + " " + address() + " (" + origin + ")";
  }
}
