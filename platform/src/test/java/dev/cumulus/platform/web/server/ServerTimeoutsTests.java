package dev.cumulus.platform.web.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The timeouts on a real Reactor Netty server, against a real socket. */
class ServerTimeoutsTests {

  private DisposableServer server;

  @BeforeEach
  void start() {
    ServerTimeouts timeouts = new ServerTimeouts(Duration.ofMillis(700), Duration.ofMillis(700));
    server =
        timeouts
            .customizer()
            .apply(HttpServer.create().host("127.0.0.1").port(0))
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asString()
                        .defaultIfEmpty("")
                        .flatMap(body -> response.sendString(Mono.just("ok:" + body)).then()))
            .bindNow();
  }

  @AfterEach
  void stop() {
    server.disposeNow();
  }

  @Test
  void aRequestHeadThatNeverFinishesIsClosedEvenIfItTrickles() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      boolean closed = false;
      // A header byte every 200 ms: Reactor Netty's idle timeout alone would never fire.
      for (int i = 0; i < 25 && !closed; i++) {
        Thread.sleep(200);
        try {
          out.write('X');
          out.flush();
        } catch (java.io.IOException e) {
          closed = true;
        }
      }
      if (!closed) {
        closed = socket.getInputStream().read() == -1;
      }
      assertThat(closed).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aCompleteRequestIsServedAndTheIdleConnectionThenClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = readUntilClosed(in);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("ok:");
    }
  }

  @Test
  void aStalledBodyIsCut() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part"
                  .getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      String answer = readUntilClosed(socket.getInputStream());
      assertThat(answer).doesNotContain("ok:");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  /** Everything the server sends until it closes the connection (the head deadline after it). */
  private static String readUntilClosed(InputStream in) throws Exception {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[1024];
    for (int n; (n = in.read(buffer)) != -1; ) {
      text.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
    }
    return text.toString();
  }
}
