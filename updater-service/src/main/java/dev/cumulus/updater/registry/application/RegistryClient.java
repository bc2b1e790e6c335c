package dev.cumulus.updater.registry.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.updater.registry.config.RegistryProperties;
import dev.cumulus.updater.registry.domain.BearerChallenge;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.registry.domain.RegistryCredentials;
import dev.cumulus.updater.registry.domain.RemoteDigest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Registry HTTP API v2, the way Watchtower and diun look for new images without pulling: a
 * {@code HEAD} on the tag's manifest (free of Docker Hub's pull quota) whose {@code
 * Docker-Content-Digest} is compared with the running image's digest. Answers a 401's challenge
 * with the tenant's login when it has one: {@code Bearer} (token from the realm, fetched with the
 * login) or {@code Basic} (the login itself, as a registry behind htpasswd wants it). What answered
 * a challenge is cached per (login, host, scope), tokens until they expire: one tenant's token is
 * never sent for another. Resolves multi-arch indexes to the host's platform.
 */
@Component
public class RegistryClient {

  /** Everything a tag may point at: multi-arch indexes first, then single manifests. */
  public static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
  private static final String DIGEST_HEADER = "Docker-Content-Digest";

  private final WebClient http;
  private final RegistryProperties properties;
  private final ObjectMapper json;
  private final Map<String, Authorization> authorizations = new ConcurrentHashMap<>();

  /**
   * An {@code Authorization} header value that answered a challenge, and until when to reuse it.
   */
  private record Authorization(String header, Instant expires) {}

  /** How long a Basic login is reused without a fresh challenge (a changed login has a new id). */
  private static final java.time.Duration BASIC_REUSE = java.time.Duration.ofMinutes(10);

  /** Past this many cached entries, expired ones are dropped before another is added. */
  private static final int MAX_CACHED = 10_000;

  public RegistryClient(
      WebClient.Builder builder, RegistryProperties properties, ObjectMapper json) {
    this.http = builder.build();
    this.properties = properties;
    this.json = json;
  }

  /** The digest the reference's tag points at now, or a 400/502 {@code REGISTRY_ERROR}. */
  public Mono<RemoteDigest> latest(ImageReference image, RegistryCredentials credentials) {
    String scope = "repository:" + image.repository() + ":pull";
    return manifest("HEAD", image, scope, credentials)
        .flatMap(
            head -> {
              String mediaType = head.mediaType();
              if (isIndex(mediaType)) {
                return manifest("GET", image, scope, credentials)
                    .map(
                        index ->
                            new RemoteDigest(
                                head.digest(),
                                mediaType,
                                platformDigest(index.body()),
                                head.rateLimit()));
              }
              return Mono.just(new RemoteDigest(head.digest(), mediaType, null, head.rateLimit()));
            })
        .timeout(properties.timeout().multipliedBy(3))
        .onErrorMap(
            failure -> !(failure instanceof ApiException),
            failure -> registryError(image, "is not reachable: " + failure.getMessage()));
  }

  /** A manifest answer, or the challenge ({@code WWW-Authenticate}) to answer first. */
  private record Answer(
      String digest, String mediaType, Integer rateLimit, String body, String challenge) {}

  private Mono<Answer> manifest(
      String method, ImageReference image, String scope, RegistryCredentials credentials) {
    URI uri = manifestUri(image);
    String cacheKey = cacheKey(credentials, image.apiHost(), scope);
    // The body is read inside the exchange: WebClient releases it once the exchange completes.
    return send(
            method,
            uri,
            cachedAuthorization(cacheKey),
            response -> {
              if (response.statusCode() != HttpStatus.UNAUTHORIZED) {
                return answer(image, response);
              }
              String challenge =
                  response.headers().asHttpHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE);
              return response
                  .releaseBody()
                  .then(Mono.just(new Answer(null, null, null, null, String.valueOf(challenge))));
            })
        .flatMap(
            first ->
                first.challenge() == null
                    ? Mono.just(first)
                    : authorize(image, first.challenge(), scope, credentials, cacheKey)
                        .flatMap(
                            header ->
                                send(method, uri, header, retried -> answer(image, retried))));
  }

  /** The {@code Authorization} header that answers the challenge (cached under the key). */
  private Mono<String> authorize(
      ImageReference image,
      String challenge,
      String scope,
      RegistryCredentials credentials,
      String cacheKey) {
    BearerChallenge bearer = BearerChallenge.parse(challenge);
    if (bearer != null) {
      return token(bearer, scope, credentials, cacheKey).map(token -> "Bearer " + token);
    }
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (credentials == null) {
        return Mono.error(
            registryError(image, "wants a login: save one at /api/images/registries/{registry}"));
      }
      String header = "Basic " + basic(credentials);
      remember(cacheKey, new Authorization(header, Instant.now().plus(BASIC_REUSE)));
      return Mono.just(header);
    }
    return Mono.error(registryError(image, "refused access and offered no token"));
  }

  /** Tokens and logins are cached per login: an anonymous token is the only one shared. */
  private static String cacheKey(RegistryCredentials credentials, String host, String scope) {
    String login = credentials == null ? "anonymous" : "login:" + credentials.loginId();
    return login + "|" + host + "|" + scope;
  }

  private static String basic(RegistryCredentials credentials) {
    return Base64.getEncoder()
        .encodeToString(
            (credentials.username() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
  }

  private Mono<Answer> send(
      String method,
      URI uri,
      String authorization,
      Function<ClientResponse, Mono<Answer>> handler) {
    var request =
        http.method(org.springframework.http.HttpMethod.valueOf(method))
            .uri(uri)
            .header(HttpHeaders.ACCEPT, ACCEPT);
    if (authorization != null) {
      request = request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    return request.exchangeToMono(handler).timeout(properties.timeout());
  }

  private Mono<Answer> answer(ImageReference image, ClientResponse response) {
    HttpHeaders headers = response.headers().asHttpHeaders();
    int status = response.statusCode().value();
    if (status == 404) {
      return response
          .releaseBody()
          .then(
              Mono.error(
                  new ApiException(
                      ErrorKind.NOT_FOUND,
                      "Image '" + image.canonical() + "' not found in its registry",
                      "REGISTRY_ERROR",
                      "manifest unknown",
                      Map.of(),
                      null)));
    }
    if (status == 401) {
      return response
          .releaseBody()
          .then(Mono.error(registryError(image, "refused the login (HTTP 401)")));
    }
    if (status >= 300) {
      return response
          .releaseBody()
          .then(Mono.error(registryError(image, "answered HTTP " + status)));
    }
    Integer rateLimit = rateLimit(headers.getFirst("RateLimit-Remaining"));
    if (rateLimit != null && rateLimit < 10) {
      log.warn("Registry {} allows {} more manifest requests", image.apiHost(), rateLimit);
    }
    String digest = headers.getFirst(DIGEST_HEADER);
    String mediaType =
        headers.getContentType() == null ? null : headers.getContentType().toString();
    return response
        .bodyToMono(String.class)
        .defaultIfEmpty("")
        .map(body -> new Answer(digest, mediaType, rateLimit, body, null))
        .flatMap(
            answer ->
                answer.digest() == null
                    ? Mono.error(registryError(image, "sent no Docker-Content-Digest"))
                    : Mono.just(answer));
  }

  private Mono<String> token(
      BearerChallenge challenge, String scope, RegistryCredentials credentials, String cacheKey) {
    var uri = UriComponentsBuilder.fromUriString(challenge.realm());
    if (challenge.service() != null) {
      uri.queryParam("service", challenge.service());
    }
    uri.queryParam("scope", challenge.scope() != null ? challenge.scope() : scope);
    var request = http.get().uri(uri.build().toUri());
    if (credentials != null) {
      request = request.header(HttpHeaders.AUTHORIZATION, "Basic " + basic(credentials));
    }
    return request
        .exchangeToMono(
            response ->
                response.statusCode().is2xxSuccessful()
                    ? response.bodyToMono(String.class)
                    : response
                        .releaseBody()
                        .then(
                            Mono.error(
                                new ApiException(
                                    ErrorKind.BAD_GATEWAY,
                                    "Registry token request failed",
                                    "REGISTRY_ERROR",
                                    "token endpoint answered HTTP " + response.statusCode().value(),
                                    Map.of(),
                                    null))))
        .timeout(properties.timeout())
        .map(
            body -> {
              JsonNode node = json.readTree(body);
              String token =
                  node.hasNonNull("token")
                      ? node.get("token").asString()
                      : node.path("access_token").asString(null);
              if (token == null) {
                throw new IllegalStateException("token endpoint sent no token");
              }
              int ttl = node.path("expires_in").asInt(60);
              // Renew a little early: a token that expires mid-request costs a retry.
              remember(
                  cacheKey,
                  new Authorization(
                      "Bearer " + token, Instant.now().plusSeconds(Math.max(ttl - 10, 5))));
              return token;
            });
  }

  private void remember(String key, Authorization authorization) {
    if (authorizations.size() >= MAX_CACHED) {
      Instant now = Instant.now();
      authorizations.values().removeIf(cached -> cached.expires().isBefore(now));
    }
    authorizations.put(key, authorization);
  }

  private String cachedAuthorization(String key) {
    Authorization cached = authorizations.get(key);
    return cached != null && cached.expires().isAfter(Instant.now()) ? cached.header() : null;
  }

  private URI manifestUri(ImageReference image) {
    String scheme = properties.insecure().contains(image.apiHost()) ? "http" : "https";
    return URI.create(
        scheme
            + "://"
            + image.apiHost()
            + "/v2/"
            + image.repository()
            + "/manifests/"
            + image.reference());
  }

  private static boolean isIndex(String mediaType) {
    return mediaType != null
        && (mediaType.startsWith("application/vnd.oci.image.index.v1+json")
            || mediaType.startsWith("application/vnd.docker.distribution.manifest.list.v2+json"));
  }

  /** The manifest of the host's platform in a multi-arch index, or null when it has none. */
  String platformDigest(String indexBody) {
    JsonNode manifests = json.readTree(indexBody).path("manifests");
    String os = properties.os();
    String arch = properties.platformArchitecture();
    for (JsonNode manifest : manifests) {
      JsonNode platform = manifest.path("platform");
      if (os.equals(platform.path("os").asString(""))
          && arch.equals(platform.path("architecture").asString(""))) {
        return manifest.path("digest").asString(null);
      }
    }
    return null;
  }

  private static Integer rateLimit(String header) {
    if (header == null) {
      return null;
    }
    try {
      // "100;w=21600": the number before the window
      return Integer.parseInt(header.split(";")[0].trim());
    } catch (NumberFormatException unreadable) {
      return null;
    }
  }

  private static ApiException registryError(ImageReference image, String reason) {
    return new ApiException(
        ErrorKind.BAD_GATEWAY,
        "Registry " + image.apiHost() + " " + reason,
        "REGISTRY_ERROR",
        reason,
        Map.of(),
        null);
  }
}
