package dev.cumulus.gateway.console;

import dev.cumulus.gateway.console.ConsoleFiles.ConsoleFile;
import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /console/**}: the web console's files, and its index page for every address of the
 * single-page app (so a bookmarked {@code /console/storage} loads the app, which then shows the
 * page). Every answer carries the console's Content-Security-Policy.
 */
public final class ConsoleRoutes {

  /**
   * Scripts, connections, images and fonts from this origin only; no plugins, no framing, no
   * foreign form targets. Inline styles are allowed: the component library (Mantine) sets CSS
   * variables and element styles at run time; scripts stay strictly same-origin.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data: blob:; font-src 'self'; connect-src 'self';"
          + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** Vite names assets by content hash: a name never changes its bytes. */
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  /** The index page is revalidated each time, so a new release is picked up at once. */
  private static final String REVALIDATE = "no-cache";

  private final ConsoleFiles files;

  public ConsoleRoutes(ConsoleFiles files) {
    this.files = files;
  }

  public RouterFunction<ServerResponse> routes() {
    return RouterFunctions.route()
        .GET("/console", request -> redirectToIndex())
        .HEAD("/console", request -> redirectToIndex())
        .GET("/console/**", this::serve)
        .HEAD("/console/**", this::serve)
        .build();
  }

  private static Mono<ServerResponse> redirectToIndex() {
    return ServerResponse.status(HttpStatus.MOVED_PERMANENTLY)
        .location(URI.create("/console/"))
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .build();
  }

  private Mono<ServerResponse> serve(ServerRequest request) {
    String path = request.path().substring("/console/".length());
    Optional<ConsoleFile> file = files.get(path);
    if (file.isPresent()) {
      return answer(request, file.get(), path.startsWith("assets/") ? IMMUTABLE : REVALIDATE);
    }
    if (isAppAddress(path)) {
      return files
          .get(ConsoleFiles.INDEX)
          .map(index -> answer(request, index, REVALIDATE))
          .orElseGet(ConsoleRoutes::notBuilt);
    }
    return ServerResponse.notFound()
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .build();
  }

  /** An address of the app (no file extension), not a missing file such as {@code x.js}. */
  static boolean isAppAddress(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return !last.contains(".");
  }

  private static Mono<ServerResponse> answer(
      ServerRequest request, ConsoleFile file, String cache) {
    boolean unchanged = request.headers().header(HttpHeaders.IF_NONE_MATCH).contains(file.etag());
    ServerResponse.BodyBuilder response =
        ServerResponse.status(unchanged ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
            .eTag(file.etag())
            .header(HttpHeaders.CACHE_CONTROL, cache)
            .header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    return unchanged
        ? response.build()
        : response
            .contentType(file.mediaType())
            .contentLength(file.bytes().length)
            .bodyValue(file.bytes());
  }

  /** The gateway was built without the console (e.g. -pl gateway with an empty console jar). */
  private static Mono<ServerResponse> notBuilt() {
    return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("The console was not built into this gateway (see docs/console.md).");
  }
}
