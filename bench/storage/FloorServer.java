import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A measuring stick, not a server to compare with: the least work a durable S3 PUT needs, done
 * the way storage-service does it, without anything else. A PUT's body is read in 1 MiB pieces,
 * written to a temporary file on one thread while another computes its MD5 (the ETag), synced
 * every 4 MiB and at the end, renamed, and the directory synced; GET sends the file ({@code
 * sendfile}). No HTTP framework, no signature check, no database, no events. What S3Bench measures
 * against it is what this machine allows for durable PUTs and GETs with the same client, at that
 * minute: storage-service's results read as a share of it.
 *
 * <p>It speaks just enough HTTP/1.1 for S3Bench (path-style PUT bucket, PUT/GET object, presigned
 * PUT; Content-Length bodies, {@code Expect: 100-continue}, keep-alive).
 *
 * <pre>
 * java FloorServer.java PORT DATA_DIR
 * </pre>
 */
public class FloorServer {

  static final int PIECE = 1024 * 1024;
  static final long EARLY_SYNC = 4L * 1024 * 1024;
  static final int QUEUE = 4;
  static final ByteBuffer END = ByteBuffer.allocate(0);

  final Path root;
  final ExecutorService threads = Executors.newCachedThreadPool();

  FloorServer(Path root) {
    this.root = root;
  }

  public static void main(String[] args) throws IOException {
    FloorServer floor = new FloorServer(Path.of(args[1]).toAbsolutePath());
    Files.createDirectories(floor.root.resolve("tmp"));
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 1024);
    while (true) {
      SocketChannel connection = server.accept();
      connection.setOption(StandardSocketOptions.TCP_NODELAY, true); // as Netty: no Nagle delays
      floor.threads.execute(() -> floor.serve(connection));
    }
  }

  /** One connection: requests one after the other until the client closes it. */
  void serve(SocketChannel connection) {
    try (connection) {
      Request in = new Request(connection);
      while (in.next()) {
        answer(in);
      }
    } catch (IOException e) {
      // the client went away (at the end of a run it closes its connections)
    } catch (Exception e) {
      System.err.println("connection failed: " + e);
    }
  }

  void answer(Request in) throws Exception {
    String[] parts = in.path.substring(1).split("/", 2);
    String bucket = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    String key = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    if (bucket.isEmpty() || key.isEmpty()) {
      in.skipBody();
      if (in.method.equals("PUT") && !bucket.isEmpty()) {
        Files.createDirectories(root.resolve(bucket));
      }
      in.respond("200 OK", "");
      return;
    }
    Path file = root.resolve(bucket).resolve(URLEncoder.encode(key, StandardCharsets.UTF_8));
    switch (in.method) {
      case "PUT" -> in.respond("200 OK", "ETag: \"" + store(in, file) + "\"\r\n");
      case "GET", "HEAD" -> send(in, file);
      default -> {
        in.skipBody();
        in.respond("501 Not Implemented", "");
      }
    }
  }

  /** The body to a temporary file, durably, then renamed to {@code target}: returns its MD5. */
  String store(Request in, Path target) throws Exception {
    Path temp = root.resolve("tmp").resolve(UUID.randomUUID() + ".part");
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    long pieces = Math.max(1, (in.contentLength + PIECE - 1) / PIECE);
    BlockingQueue<ByteBuffer> free = in.buffers((int) Math.min(2 * QUEUE + 2, pieces));
    BlockingQueue<ByteBuffer> toWrite = new ArrayBlockingQueue<>(QUEUE);
    BlockingQueue<ByteBuffer> toHash = new ArrayBlockingQueue<>(QUEUE);
    try (FileChannel out =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Future<?> writer =
          threads.submit(
              () -> {
                long unsynced = 0;
                CompletableFuture<Void> syncing = CompletableFuture.completedFuture(null);
                for (ByteBuffer piece = toWrite.take(); piece != END; piece = toWrite.take()) {
                  ByteBuffer view = piece.duplicate();
                  while (view.hasRemaining()) {
                    out.write(view);
                  }
                  unsynced += piece.remaining();
                  if (unsynced >= EARLY_SYNC && syncing.isDone()) {
                    unsynced = 0;
                    syncing = CompletableFuture.runAsync(() -> sync(out), threads);
                  }
                  toHash.put(piece);
                }
                toHash.put(END);
                return null;
              });
      Future<?> hasher =
          threads.submit(
              () -> {
                for (ByteBuffer piece = toHash.take(); piece != END; piece = toHash.take()) {
                  md5.update(piece);
                  free.put(piece.clear());
                }
                return null;
              });
      try {
        for (long left = in.contentLength; left > 0; ) {
          ByteBuffer piece = free.take();
          piece.limit((int) Math.min(PIECE, left));
          in.readBody(piece);
          left -= piece.position();
          toWrite.put(piece.flip());
        }
        toWrite.put(END);
        writer.get();
        hasher.get();
      } catch (Exception e) { // the client went away: stop both threads, leave no file
        writer.cancel(true);
        hasher.cancel(true);
        Files.deleteIfExists(temp);
        throw e;
      }
      in.spare.addAll(free);
      out.force(false);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  static void sync(FileChannel out) {
    try {
      out.force(false);
    } catch (IOException e) {
      // the final force reports it
    }
  }

  void send(Request in, Path file) throws IOException {
    in.skipBody();
    try (FileChannel body = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = body.size();
      in.respondHead("200 OK", "Content-Type: application/octet-stream\r\n", size);
      if (in.method.equals("GET")) {
        for (long sent = 0; sent < size; ) {
          sent += body.transferTo(sent, size - sent, in.connection);
        }
      }
    } catch (NoSuchFileException e) {
      in.respond("404 Not Found", "");
    }
  }

  /** The request on a connection: its head parsed, its body read on demand. */
  static final class Request {
    final SocketChannel connection;
    final ByteBuffer head = ByteBuffer.allocate(64 * 1024);
    /** The connection's 1 MiB body buffers, reused by its requests (allocating them is not free). */
    final List<ByteBuffer> spare = new ArrayList<>();
    String method;
    String path;
    long contentLength;
    long bodyLeft;

    Request(SocketChannel connection) {
      this.connection = connection;
      head.flip();
    }

    BlockingQueue<ByteBuffer> buffers(int count) {
      BlockingQueue<ByteBuffer> buffers = new ArrayBlockingQueue<>(count);
      while (buffers.size() < count) {
        buffers.add(spare.isEmpty() ? ByteBuffer.allocateDirect(PIECE) : spare.removeLast().clear());
      }
      return buffers;
    }

    /** Reads the next request's head; false when the client closed the connection. */
    boolean next() throws IOException {
      int end;
      while ((end = headEnd()) < 0) {
        head.compact();
        int n = connection.read(head);
        head.flip();
        if (n < 0) {
          return false;
        }
      }
      String text =
          new String(head.array(), head.position(), end - head.position(), StandardCharsets.ISO_8859_1);
      head.position(end + 4);
      String[] lines = text.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      method = requestLine[0];
      String target = requestLine[1];
      int query = target.indexOf('?');
      path = query < 0 ? target : target.substring(0, query);
      contentLength = 0;
      boolean expectContinue = false;
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].toLowerCase(Locale.ROOT);
        if (line.startsWith("content-length:")) {
          contentLength = Long.parseLong(line.substring(15).trim());
        } else if (line.startsWith("expect:") && line.contains("100-continue")) {
          expectContinue = true;
        }
      }
      bodyLeft = contentLength;
      if (expectContinue) {
        write("HTTP/1.1 100 Continue\r\n\r\n");
      }
      return true;
    }

    private int headEnd() {
      byte[] bytes = head.array();
      for (int i = head.position(); i + 3 < head.limit(); i++) {
        if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    /** Fills {@code piece} up to its limit from the body: what followed the head first. */
    void readBody(ByteBuffer piece) throws IOException {
      while (piece.hasRemaining()) {
        if (head.hasRemaining()) {
          int n = Math.min(head.remaining(), piece.remaining());
          piece.put(head.array(), head.position(), n);
          head.position(head.position() + n);
          bodyLeft -= n;
        } else {
          int n = connection.read(piece);
          if (n < 0) {
            throw new EOFException("body ended early");
          }
          bodyLeft -= n;
        }
      }
    }

    void skipBody() throws IOException {
      ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
      while (bodyLeft > 0) {
        sink.clear().limit((int) Math.min(sink.capacity(), bodyLeft));
        readBody(sink);
      }
    }

    void respond(String status, String headers) throws IOException {
      respondHead(status, headers, 0);
    }

    void respondHead(String status, String headers, long contentLength) throws IOException {
      write("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + contentLength + "\r\n\r\n");
    }

    private void write(String text) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
      while (bytes.hasRemaining()) {
        connection.write(bytes);
      }
    }
  }
}
