package dev.cumulus.devstack;

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
