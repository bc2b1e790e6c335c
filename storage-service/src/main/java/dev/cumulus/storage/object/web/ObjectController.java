package dev.cumulus.storage.object.web;

import dev.cumulus.platform.context.CumulusContext;
import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.web.StorageAccess;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.application.ContentTypes;
import dev.cumulus.storage.object.application.ObjectDeleter;
import dev.cumulus.storage.object.application.ObjectLister;
import dev.cumulus.storage.object.application.ObjectReader;
import dev.cumulus.storage.object.application.ObjectWriter;
import dev.cumulus.storage.object.application.PutObjectCommand;
import dev.cumulus.storage.object.domain.ByteRange;
import dev.cumulus.storage.object.domain.InvalidKeyException;
import dev.cumulus.storage.object.domain.ListQuery;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.ObjectPage;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.quota.application.QuotaErrors;
import dev.cumulus.storage.quota.application.TenantQuotas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Seed 000 objects: {@code /api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/objects}. */
@RestController
@RequestMapping("/api/s3storage/{tenantId}/{serviceId}/buckets/{bucket}/objects")
public class ObjectController {

  private final StorageAccess access;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final ObjectDeleter deleter;
  private final ObjectLister lister;
  private final TenantQuotas quotas;

  /** More than a form's own fields (key, contentType, part headers) could ever take. */
  private static final long FORM_FIELDS_MARGIN = 64 * 1024;

  public ObjectController(
      StorageAccess access,
      ObjectWriter writer,
      ObjectReader reader,
      ObjectDeleter deleter,
      ObjectLister lister,
      TenantQuotas quotas) {
    this.access = access;
    this.writer = writer;
    this.reader = reader;
    this.deleter = deleter;
    this.lister = lister;
    this.quotas = quotas;
  }

  public record ObjectView(
      String key, long size, String etag, String contentType, Instant lastModified) {
    static ObjectView of(StoredObject o) {
      return new ObjectView(o.key(), o.size(), o.etag(), o.contentType(), o.lastModified());
    }
  }

  public record UploadView(
      String bucket,
      String key,
      long size,
      String etag,
      String contentType,
      Instant lastModified) {}

  public record ObjectListView(
      String bucket,
      String prefix,
      int maxKeys,
      int keyCount,
      List<ObjectView> objects,
      boolean isTruncated,
      String nextContinuationToken) {}

  @GetMapping
  Mono<ObjectListView> list(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      @RequestParam(required = false, defaultValue = "") String prefix,
      @RequestParam(required = false, defaultValue = "1000") int maxKeys,
      @RequestParam(required = false) String continuationToken) {
    return access
        .require(tenantId, serviceId)
        .flatMap(
            instance -> {
              if (prefix.indexOf('\0') >= 0) {
                throw StorageErrors.of(
                    ErrorKind.BAD_REQUEST,
                    "InvalidArgument",
                    "prefix must not contain a NUL character",
                    "prefix");
              }
              String after =
                  ObjectKeys.after(continuationToken)
                      .orElseThrow(
                          () ->
                              StorageErrors.of(
                                  ErrorKind.BAD_REQUEST,
                                  "InvalidArgument",
                                  "The continuation token provided is incorrect",
                                  "continuationToken is not valid"));
              return lister.list(instance, bucket, new ListQuery(prefix, null, after, maxKeys));
            })
        .map(
            (ObjectPage page) ->
                new ObjectListView(
                    bucket,
                    prefix,
                    maxKeys,
                    page.objects().size(),
                    page.objects().stream().map(ObjectView::of).toList(),
                    page.truncated(),
                    page.nextContinuationToken()));
  }

  /**
   * Multipart form upload: {@code file}, {@code key}, {@code contentType}. WebFlux's multipart
   * reader keeps large parts on disk, not in memory; the file part's content is then streamed into
   * the blob store.
   */
  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  Mono<ResponseEntity<UploadView>> upload(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      ServerWebExchange exchange) {
    return access
        .require(tenantId, serviceId)
        .delayUntil(instance -> declaredFormFits(instance, exchange))
        .flatMap(
            instance ->
                exchange
                    .getMultipartData()
                    .flatMap(
                        form -> {
                          Part file = form.getFirst("file");
                          if (!(file instanceof FilePart filePart)) {
                            return Mono.error(
                                StorageErrors.invalidRequest("Missing required parameter: file"));
                          }
                          String key = field(form, "key");
                          if (key == null || key.isEmpty()) {
                            key = filePart.filename();
                          }
                          ObjectKeys.check(key);
                          String contentType = field(form, "contentType");
                          if (contentType == null || contentType.isBlank()) {
                            MediaType partType = filePart.headers().getContentType();
                            contentType = partType == null ? null : partType.toString();
                          }
                          return writer.put(
                              PutObjectCommand.of(
                                  instance, bucket, key, contentType, filePart.content()));
                        }))
        .onErrorMap(InvalidKeyException.class, ObjectController::invalidKey)
        // A form the multipart reader cannot parse (no boundary, cut short) is the client's.
        .onErrorMap(
            CodecException.class,
            e -> StorageErrors.invalidRequest("Malformed multipart form: " + e.getMessage()))
        .map(
            o ->
                ResponseEntity.status(HttpStatus.CREATED)
                    .eTag(quoted(o.etag()))
                    .body(
                        new UploadView(
                            bucket,
                            o.key(),
                            o.size(),
                            o.etag(),
                            o.contentType(),
                            o.lastModified())));
  }

  /**
   * A form whose Content-Length is above the tenant's largest object by more than any form's own
   * fields could take is refused before it is read (the multipart reader would otherwise park the
   * file on disk first); a file that passes the limit within the margin is refused as it streams.
   */
  private Mono<Void> declaredFormFits(Instance instance, ServerWebExchange exchange) {
    long length = exchange.getRequest().getHeaders().getContentLength();
    return quotas
        .forWrite(instance.tenantId(), -1)
        .flatMap(
            quota ->
                length > quota.maxObjectBytes() + FORM_FIELDS_MARGIN
                    ? Mono.error(QuotaErrors.entityTooLarge(quota.maxObjectBytes()))
                    : Mono.empty());
  }

  /**
   * Streams the object, or one byte range of it (206), with its metadata headers. Also answers
   * HEAD. Objects of a bucket created with {@code publicAccess: true} may be read without a token.
   */
  @GetMapping("/{*key}")
  Mono<ResponseEntity<Flux<DataBuffer>>> download(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      @PathVariable("key") String path,
      @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
      ServerWebExchange exchange) {
    String key = key(path);
    return access
        .requireReader(tenantId, serviceId, bucket)
        .flatMap(instance -> reader.get(instance, bucket, key, range))
        .map(
            download -> {
              StoredObject o = download.object();
              ResponseEntity.BodyBuilder response =
                  ResponseEntity.status(
                          download.range() == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT)
                      .contentType(ContentTypes.forReading(o.contentType()))
                      .eTag(quoted(o.etag()))
                      .lastModified(ZonedDateTime.ofInstant(o.lastModified(), ZoneOffset.UTC))
                      .header(HttpHeaders.ACCEPT_RANGES, "bytes");
              if (download.range() != null) {
                ByteRange r = download.range();
                response
                    .contentLength(r.length())
                    .header(
                        HttpHeaders.CONTENT_RANGE,
                        "bytes " + r.first() + "-" + r.last() + "/" + o.size());
              } else {
                response.contentLength(o.size());
              }
              // HEAD: the same headers, and the file is not even opened.
              return response.body(
                  HttpMethod.HEAD.equals(exchange.getRequest().getMethod())
                      ? Flux.<DataBuffer>empty()
                      : download.content());
            })
        .onErrorResume(
            ByteRange.Unsatisfiable.class,
            e -> unsatisfiable(tenantId, serviceId, bucket, key, exchange));
  }

  @DeleteMapping("/{*key}")
  Mono<ResponseEntity<Void>> delete(
      @PathVariable String tenantId,
      @PathVariable String serviceId,
      @PathVariable String bucket,
      @PathVariable("key") String path) {
    String key = key(path);
    return access
        .require(tenantId, serviceId)
        .flatMap(instance -> deleter.delete(instance, bucket, key))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(StorageErrors.noSuchKey(key)));
  }

  /** 416 with the object's size, and the DockSaaS envelope as the body. */
  private Mono<ResponseEntity<Flux<DataBuffer>>> unsatisfiable(
      String tenantId, String serviceId, String bucket, String key, ServerWebExchange exchange) {
    return access
        .requireReader(tenantId, serviceId, bucket)
        .flatMap(instance -> reader.head(instance, bucket, key))
        .map(
            o -> {
              String requestId =
                  exchange.getResponse().getHeaders().getFirst(CumulusContext.REQUEST_ID_HEADER);
              if (requestId == null) {
                requestId =
                    exchange.getRequest().getHeaders().getFirst(CumulusContext.REQUEST_ID_HEADER);
              }
              String body =
                  "{\"error\":{\"code\":\"InvalidRange\",\"message\":\"The requested range is not"
                      + " satisfiable\",\"details\":\"Object size is "
                      + o.size()
                      + " bytes\"},\"requestId\":"
                      + (requestId == null ? "null" : "\"" + requestId.replace("\"", "") + "\"")
                      + "}";
              DataBuffer buffer =
                  exchange
                      .getResponse()
                      .bufferFactory()
                      .wrap(body.getBytes(StandardCharsets.UTF_8));
              return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                  .contentType(MediaType.APPLICATION_JSON)
                  .header(HttpHeaders.CONTENT_RANGE, "bytes */" + o.size())
                  .body(Flux.just(buffer));
            });
  }

  private static String field(MultiValueMap<String, Part> form, String name) {
    return form.getFirst(name) instanceof FormFieldPart field ? field.value() : null;
  }

  /** {@code {*key}} captures the leading slash. */
  private static String key(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  private static String quoted(String etag) {
    return "\"" + etag + "\"";
  }

  /** A key refused by the seed API (the S3 adapter answers in S3's own terms). */
  private static ApiException invalidKey(InvalidKeyException e) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        e.tooLong() ? "KeyTooLongError" : "InvalidArgument",
        "The specified key is not valid",
        e.getMessage());
  }
}
