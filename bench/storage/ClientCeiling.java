import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A measuring stick, not a server to compare with: the least an HTTP server can do for S3Bench's
 * PUT and GET (objects in a map; no signature check, no disk, no database). Its results are the
 * ceiling the benchmark client reaches on this machine, i.e. how much of the two cores the client
 * itself leaves to a real server.
 *
 * <pre>
 * java ClientCeiling.java PORT
 * </pre>
 */
public class ClientCeiling {

  public static void main(String[] args) throws IOException {
    Map<String, byte[]> objects = new ConcurrentHashMap<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> answer(exchange, objects));
    server.start();
  }

  private static void answer(HttpExchange exchange, Map<String, byte[]> objects)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      MessageDigest md5 = md5();
      // Hashed while it arrives, as a streaming server would.
      byte[] body = new DigestInputStream(exchange.getRequestBody(), md5).readAllBytes();
      switch (exchange.getRequestMethod()) {
        case "PUT" -> { // CreateBucket (/bucket) or PutObject (/bucket/key)
          if (path.indexOf('/', 1) > 0) {
            objects.put(path, body);
          }
          exchange.getResponseHeaders().set("ETag", '"' + HexFormat.of().formatHex(md5.digest()) + '"');
          exchange.sendResponseHeaders(200, -1);
        }
        case "GET" -> {
          byte[] object = objects.get(path);
          if (object == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
          }
          exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
          exchange.sendResponseHeaders(200, object.length);
          exchange.getResponseBody().write(object);
        }
        default -> exchange.sendResponseHeaders(200, -1);
      }
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
