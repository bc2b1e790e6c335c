package dev.cumulus.function.containers.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cumulus.function.containers.application.ContainerBackend.LogLine;
import dev.cumulus.function.containers.application.ContainerFunctionService;
import dev.cumulus.function.containers.application.ContainerFunctionService.NewFunction;
import dev.cumulus.function.containers.domain.RegistryCredentials;
import dev.cumulus.function.containers.domain.Resources;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusPrincipal;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Seed 001 (EventFlow) {@code /v1/functions}: container functions in the caller's namespace (its
 * tenant). Beyond the seed: {@code :stop} and {@code :start}, and {@code logs?job=} for a job's
 * output.
 */
@RestController
@RequestMapping("/v1/functions")
public class ContainerFunctionController {

  private static final int MAX_TAIL = 10_000;

  private final ContainerFunctionService functions;
  private final ObjectMapper json;

  public ContainerFunctionController(ContainerFunctionService functions, ObjectMapper json) {
    this.functions = functions;
    this.json = json;
  }

  /** The create request, as the seed's example sends it. */
  public record CreateRequest(
      String name,
      String image,
      Integer replicas,
      List<String> command,
      Map<String, String> env,
      Resources resources,
      @JsonProperty("registry_credentials") RegistryCredentials registryCredentials) {}

  /** The invoke request: {@code {"input": ...}}, any JSON; the body is optional. */
  public record InvokeRequest(@JsonProperty("input") JsonNode input) {}

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  public Mono<Map<String, Object>> create(@RequestBody(required = false) CreateRequest request) {
    if (request == null) {
      return Mono.error(ApiException.badRequest("request body is required"));
    }
    return CumulusPrincipal.current()
        .flatMap(
            caller ->
                functions.create(
                    caller.tenantId(),
                    userId(caller),
                    new NewFunction(
                        request.name(),
                        request.image(),
                        request.replicas(),
                        request.command(),
                        request.env(),
                        request.resources(),
                        request.registryCredentials())))
        .map(ContainerFunctionViews::created);
  }

  @GetMapping
  public Mono<List<Map<String, Object>>> list() {
    return CumulusPrincipal.current()
        .flatMapMany(caller -> functions.list(caller.tenantId()))
        .map(ContainerFunctionViews::summary)
        .collectList();
  }

  @GetMapping("/{name}")
  public Mono<Map<String, Object>> get(@PathVariable String name) {
    return CumulusPrincipal.current()
        .flatMap(caller -> functions.get(caller.tenantId(), name))
        .map(ContainerFunctionViews::detail);
  }

  @DeleteMapping("/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public Mono<Void> delete(@PathVariable String name) {
    return CumulusPrincipal.current().flatMap(caller -> functions.delete(caller.tenantId(), name));
  }

  @PostMapping("/{name}:invoke")
  public Mono<Map<String, Object>> invoke(
      @PathVariable String name, @RequestBody(required = false) InvokeRequest request) {
    JsonNode input = request == null ? null : request.input();
    String inputJson = input == null || input.isNull() ? "{}" : json.writeValueAsString(input);
    return CumulusPrincipal.current()
        .flatMap(caller -> functions.invoke(caller.tenantId(), name, inputJson))
        .map(
            job ->
                Map.of("message", "Function '" + name + "' invoked successfully", "job_name", job));
  }

  @PostMapping("/{name}:stop")
  public Mono<Map<String, Object>> stop(@PathVariable String name) {
    return CumulusPrincipal.current()
        .flatMap(caller -> functions.setStopped(caller.tenantId(), name, true))
        .map(ContainerFunctionViews::detail);
  }

  @PostMapping("/{name}:start")
  public Mono<Map<String, Object>> start(@PathVariable String name) {
    return CumulusPrincipal.current()
        .flatMap(caller -> functions.setStopped(caller.tenantId(), name, false))
        .map(ContainerFunctionViews::detail);
  }

  /**
   * The logs as {@code text/plain} lines, or Server-Sent Events (one line per {@code data:}) when
   * the caller accepts {@code text/event-stream}.
   */
  @GetMapping("/{name}/logs")
  public Mono<ResponseEntity<Flux<String>>> logs(
      @PathVariable String name,
      @RequestParam(defaultValue = "false") String follow,
      @RequestParam(defaultValue = "100") String tail,
      @RequestParam(required = false) String job,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
    boolean following = flag("follow", follow);
    int lines = tail(tail);
    boolean events = accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE);
    return CumulusPrincipal.current()
        .map(
            caller -> {
              Flux<String> body =
                  functions
                      .logs(caller.tenantId(), name, lines, following, job)
                      .map(line -> events ? format(line) : format(line) + "\n");
              return ResponseEntity.ok()
                  .contentType(events ? MediaType.TEXT_EVENT_STREAM : MediaType.TEXT_PLAIN)
                  .body(body);
            });
  }

  private static String format(LogLine line) {
    return line.at() == null
        ? line.text()
        : ContainerFunctionViews.seconds(line.at()) + " " + line.text();
  }

  private static boolean flag(String name, String value) {
    return switch (value) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> throw ApiException.badRequest(name + " must be true or false");
    };
  }

  private static int tail(String value) {
    try {
      int lines = Integer.parseInt(value);
      if (lines >= 0 && lines <= MAX_TAIL) {
        return lines;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw ApiException.badRequest("tail must be a number between 0 and " + MAX_TAIL);
  }

  private static String userId(CumulusPrincipal caller) {
    return caller.username() != null ? caller.username() : caller.subject();
  }
}
