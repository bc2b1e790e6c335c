package dev.cumulus.updater.image.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.updater.container.application.ContainerService;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.engine.application.ContainerEngine;
import dev.cumulus.updater.engine.domain.EngineImage;
import dev.cumulus.updater.registry.application.RegistryClient;
import dev.cumulus.updater.registry.application.RegistryLogins;
import dev.cumulus.updater.registry.config.RegistryProperties;
import dev.cumulus.updater.registry.domain.ImageReference;
import dev.cumulus.updater.registry.domain.RemoteDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Images as a tenant sees them: only those its containers run (the engine's image store is shared,
 * its other images are other tenants' business), and whether their registries have newer ones.
 */
@Service
public class ImageService {

  private final ContainerService containers;
  private final ContainerEngine engine;
  private final RegistryClient registry;
  private final RegistryProperties properties;
  private final RegistryLogins logins;

  public ImageService(
      ContainerService containers,
      ContainerEngine engine,
      RegistryClient registry,
      RegistryProperties properties,
      RegistryLogins logins) {
    this.containers = containers;
    this.engine = engine;
    this.registry = registry;
    this.properties = properties;
    this.logins = logins;
  }

  /** One image of the tenant, with the containers that use it. */
  public record TenantImage(
      String image, ImageReference reference, EngineImage local, List<Container> usedBy) {}

  public Flux<TenantImage> list(String tenantId) {
    return containers
        .allOf(tenantId)
        .collectMultimap(Container::image)
        .flatMapMany(byImage -> Flux.fromIterable(byImage.entrySet()))
        .flatMap(
            entry ->
                engine
                    .inspectImage(entry.getKey())
                    .map(java.util.Optional::of)
                    .defaultIfEmpty(java.util.Optional.empty())
                    .map(
                        local ->
                            new TenantImage(
                                entry.getKey(),
                                ImageReference.parse(entry.getKey()),
                                local.orElse(null),
                                List.copyOf(entry.getValue()))),
            properties.concurrency())
        .sort(java.util.Comparator.comparing(TenantImage::image));
  }

  /**
   * Asks each image's registry for its newest digest, concurrently (a HEAD each, bounded by {@code
   * cumulus.updater.registry.concurrency}), and records the answer on the tenant's containers that
   * run it. No images: every image the tenant's containers run.
   */
  public Mono<List<ImageCheck>> checkUpdates(String tenantId, List<String> images) {
    Mono<List<String>> wanted =
        images == null || images.isEmpty()
            ? containers.allOf(tenantId).map(Container::image).distinct().collectList()
            : Mono.just(images.stream().map(ImageService::canonical).distinct().toList());
    return wanted.flatMap(
        list ->
            Flux.fromIterable(list)
                .flatMapSequential(image -> check(tenantId, image), properties.concurrency())
                .collectList());
  }

  /** Checks one image (a failure becomes the result's {@code error}, not the whole call's). */
  public Mono<ImageCheck> check(String tenantId, String image) {
    ImageReference reference = ImageReference.parse(image);
    return containers
        .usingImages(tenantId, List.of(image))
        .collectList()
        .flatMap(
            users ->
                currentDigest(image, users)
                    .map(java.util.Optional::of)
                    .defaultIfEmpty(java.util.Optional.empty())
                    .flatMap(
                        current ->
                            logins
                                .credentialsFor(tenantId, reference)
                                .map(java.util.Optional::of)
                                .defaultIfEmpty(java.util.Optional.empty())
                                .flatMap(login -> registry.latest(reference, login.orElse(null)))
                                .flatMap(
                                    remote -> record(users, image, current.orElse(null), remote))
                                .onErrorResume(
                                    ApiException.class,
                                    failure ->
                                        Mono.just(
                                            new ImageCheck(
                                                image,
                                                current.orElse(null),
                                                null,
                                                false,
                                                null,
                                                failure.getMessage())))));
  }

  private Mono<ImageCheck> record(
      List<Container> users, String image, String current, RemoteDigest remote) {
    String latest = remote.platformDigest() != null ? remote.platformDigest() : remote.digest();
    boolean available =
        users.isEmpty()
            ? !remote.matches(current)
            : users.stream().anyMatch(c -> !remote.matches(c.imageDigest()));
    return Flux.fromIterable(users)
        .concatMap(c -> containers.latestDigest(c, latest, !remote.matches(c.imageDigest())))
        .then(
            Mono.just(
                new ImageCheck(
                    image, current, latest, available, remote.rateLimitRemaining(), null)));
  }

  /** What the tenant runs: its containers' digest, else the local image's. */
  private Mono<String> currentDigest(String image, List<Container> users) {
    String running =
        users.stream()
            .map(Container::imageDigest)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(null);
    if (running != null) {
      return Mono.just(running);
    }
    return engine
        .inspectImage(image)
        .mapNotNull(local -> ContainerService.digestOf(image, local))
        .onErrorResume(ApiException.class, engineDown -> Mono.empty());
  }

  private static String canonical(String image) {
    if (image == null || image.isBlank()) {
      throw ApiException.validation(
          "Validation failed", Map.of("images", List.of("must not contain blank entries")));
    }
    return ImageReference.parse(image).canonical();
  }
}
