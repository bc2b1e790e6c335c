package dev.cumulus.updater.image.web;

import dev.cumulus.platform.web.envelope.AutoUpdateResponse;
import dev.cumulus.updater.common.application.Permissions;
import dev.cumulus.updater.common.domain.Sizes;
import dev.cumulus.updater.container.domain.Container;
import dev.cumulus.updater.image.application.ImageCheck;
import dev.cumulus.updater.image.application.ImageService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Seed 002's {@code /api/images} and {@code /api/images/check-updates}. */
@RestController
@RequestMapping("/api/images")
class ImageController {

  private final ImageService images;

  ImageController(ImageService images) {
    this.images = images;
  }

  record CheckRequest(List<String> images) {}

  @GetMapping
  Mono<AutoUpdateResponse<Map<String, Object>>> list(
      @RequestParam(required = false) String search,
      @RequestParam(required = false) String tag,
      @RequestParam(required = false) String registry) {
    return Permissions.require(Permissions.IMAGE_READ)
        .flatMapMany(caller -> images.list(caller.tenantId()))
        .filter(i -> search == null || i.reference().repository().contains(search))
        .filter(i -> tag == null || tag.equals(i.reference().tag()))
        .filter(i -> registry == null || registry.equals(i.reference().registry()))
        .map(
            i -> {
              Map<String, Object> view = new LinkedHashMap<>();
              view.put("id", i.image());
              view.put("repository", i.reference().engineRepository());
              view.put("tag", i.reference().tag());
              view.put("registry", i.reference().registry());
              String digest =
                  i.usedBy().stream()
                      .map(Container::imageDigest)
                      .filter(Objects::nonNull)
                      .findFirst()
                      .orElse(null);
              view.put("digest", digest);
              view.put("size", i.local() == null ? null : Sizes.format(i.local().size()));
              view.put("created", i.local() == null ? null : i.local().created());
              view.put(
                  "last_updated",
                  i.usedBy().stream()
                      .map(Container::updatedAt)
                      .filter(Objects::nonNull)
                      .max(Instant::compareTo)
                      .orElse(null));
              view.put("used_by", i.usedBy().stream().map(Container::name).toList());
              view.put(
                  "update_available", i.usedBy().stream().anyMatch(Container::updateAvailable));
              view.put(
                  "latest_digest",
                  i.usedBy().stream()
                      .map(Container::latestDigest)
                      .filter(Objects::nonNull)
                      .findFirst()
                      .orElse(null));
              return view;
            })
        .collectList()
        .flatMap(
            items ->
                AutoUpdateResponse.of("Images retrieved successfully", Map.of("items", items)));
  }

  @PostMapping("/check-updates")
  Mono<AutoUpdateResponse<Map<String, Object>>> checkUpdates(
      @RequestBody(required = false) CheckRequest body) {
    List<String> wanted = body == null ? null : body.images();
    return Permissions.require(Permissions.IMAGE_READ)
        .flatMap(caller -> images.checkUpdates(caller.tenantId(), wanted))
        .flatMap(
            checks ->
                AutoUpdateResponse.of(
                    "Update check completed",
                    Map.of("updates", checks.stream().map(ImageController::view).toList())));
  }

  private static Map<String, Object> view(ImageCheck check) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("image", check.image());
    view.put("current_digest", check.currentDigest());
    view.put("latest_digest", check.latestDigest());
    view.put("update_available", check.updateAvailable());
    view.put("changelog_url", null);
    view.put("vulnerability_changes", null);
    if (check.rateLimitRemaining() != null) {
      view.put("rate_limit_remaining", check.rateLimitRemaining());
    }
    if (check.error() != null) {
      view.put("error", check.error());
    }
    return view;
  }
}
