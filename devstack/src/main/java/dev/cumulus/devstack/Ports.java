package dev.cumulus.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;

/** Small TCP helpers: is something listening, is an address this machine, a free port. */
public final class Ports {

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  private Ports() {}

  /** True when a TCP connection to host:port succeeds within half a second. */
  public static boolean isOpen(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True for the addresses devstack may start an embedded server on. */
  public static boolean isLoopback(String host) {
    return LOOPBACK.contains(host);
  }

  /** A port that was free a moment ago (for tests). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
