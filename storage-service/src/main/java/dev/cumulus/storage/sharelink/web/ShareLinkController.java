package dev.cumulus.storage.sharelink.web;

import dev.cumulus.storage.bucket.web.StorageAccess;
import dev.cumulus.storage.sharelink.application.ShareLinks;
import dev.cumulus.storage.sharelink.application.ShareLinks.ShareLink;
import java.time.Duration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Share links of objects: {@code POST
 * /api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/share-links} answers a presigned S3 GET
 * URL, signed here with one of the instance's access keys, so that no secret key reaches a browser.
 */
@RestController
@RequestMapping("/api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/share-links")
public class ShareLinkController {

  private final StorageAccess access;
  private final ShareLinks links;
  private final PublicS3Origin origin;

  ShareLinkController(StorageAccess access, ShareLinks links, PublicS3Origin origin) {
    this.access = access;
    this.links = links;
    this.origin = origin;
  }

  /**
   * @param key the object's key
   * @param expiresInSeconds 1 to 604800 (7 days); absent: 3600
   * @param accessKeyId one of the instance's access keys, which signs the link
   */
  public record ShareLinkRequest(String key, Long expiresInSeconds, String accessKeyId) {}

  @PostMapping
  Mono<ShareLink> create(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      @RequestBody ShareLinkRequest body,
      ServerWebExchange exchange) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance ->
                links.create(
                    instance,
                    bucket,
                    body.key(),
                    body.accessKeyId(),
                    body.expiresInSeconds() == null
                        ? null
                        : Duration.ofSeconds(body.expiresInSeconds()),
                    origin.of(exchange.getRequest())));
  }
}
