package dev.cumulus.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * The console's built files (the console module's jar, {@code console/**} on the class path), read
 * once at start-up: under a megabyte, so requests are answered from memory and no event loop ever
 * reads the jar.
 */
public final class ConsoleFiles {

  /** One file: its bytes, media type and a strong ETag of its content. */
  public record ConsoleFile(byte[] bytes, MediaType mediaType, String etag) {}

  static final String INDEX = "index.html";

  private final Map<String, ConsoleFile> files;

  ConsoleFiles(Map<String, ConsoleFile> files) {
    this.files = Map.copyOf(files);
  }

  /** Everything under {@code classpath*:console/}; empty when the console was not built. */
  public static ConsoleFiles fromClassPath() {
    Map<String, ConsoleFile> files = new TreeMap<>();
    try {
      for (Resource resource :
          new PathMatchingResourcePatternResolver().getResources("classpath*:console/**")) {
        String url = resource.getURL().toString();
        int at = url.lastIndexOf("console/");
        String path = url.substring(at + "console/".length());
        if (path.isEmpty() || path.endsWith("/") || !resource.isReadable()) {
          continue;
        }
        try (InputStream in = resource.getInputStream()) {
          files.put(path, file(path, in.readAllBytes()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the console's files", e);
    }
    return new ConsoleFiles(files);
  }

  static ConsoleFile file(String path, byte[] bytes) {
    MediaType type = MediaTypeFactory.getMediaType(path).orElse(MediaType.APPLICATION_OCTET_STREAM);
    return new ConsoleFile(bytes, type, "\"" + digest(bytes) + "\"");
  }

  public Optional<ConsoleFile> get(String path) {
    return Optional.ofNullable(files.get(path));
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  public int size() {
    return files.size();
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
