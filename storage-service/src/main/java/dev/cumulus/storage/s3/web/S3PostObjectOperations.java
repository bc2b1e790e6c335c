package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.storage.access.domain.Principal;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.application.ObjectWriter;
import dev.cumulus.storage.object.application.PutObjectCommand;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.s3.web.S3PostPolicy.LengthRange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.CodecException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * POST Object, S3's browser-based upload: a {@code multipart/form-data} POST to the bucket's URL
 * whose fields (before the {@code file} part) carry the key, the object's metadata and ACL, and a
 * SigV4-signed POST policy ({@link S3PostPolicy}). The signer's instance must be allowed to
 * PutObject there, decided by {@link S3AccessGate} as for a PutObject; an unsigned form is
 * anonymous (in an instance's namespace only). The file part is streamed into the object, never
 * held whole: its size is checked against {@code content-length-range} as it arrives.
 */
class S3PostObjectOperations {

  static final String NAME = "PostObject";

  /** S3's limit on the fields that precede the file. */
  static final int MAX_FIELDS_BYTES = 20 * 1024;

  private static final String ALGORITHM = "x-amz-algorithm";
  private static final String CREDENTIAL = "x-amz-credential";
  private static final String DATE = "x-amz-date";
  private static final String SIGNATURE = "x-amz-signature";
  private static final String POLICY = "policy";

  /** The signing fields, in S3's order of complaint, with the names its errors give them. */
  private static final Map<String, String> SIGNING_FIELDS = signingFields();

  /** The form fields that become the object's headers as PutObject's would. */
  private static final List<String> HEADER_FIELDS =
      List.of(
          "content-type",
          "cache-control",
          "content-disposition",
          "content-encoding",
          "expires",
          "x-amz-server-side-encryption",
          "x-amz-storage-class");

  /**
   * Fields of S3's POST this endpoint does not take: refused rather than ignored, so an object is
   * never stored without the key, lock, tags or checksum its form asked for.
   */
  private static final List<String> UNSUPPORTED_FIELDS =
      List.of(
          "x-amz-server-side-encryption-customer-",
          "x-amz-object-lock-",
          "x-amz-checksum-",
          "tagging",
          "x-amz-grant-");

  private final PartEventHttpMessageReader parts = new PartEventHttpMessageReader();
  private final SigningKeys keys;
  private final InstanceRegistry instances;
  private final List<String> regions;
  private final S3AccessGate gate;
  private final S3AclWrites aclWrites;
  private final ObjectWriter writer;
  private final Clock clock;

  S3PostObjectOperations(
      SigningKeys keys,
      InstanceRegistry instances,
      List<String> regions,
      S3AccessGate gate,
      S3AclWrites aclWrites,
      ObjectWriter writer,
      Clock clock) {
    this.keys = keys;
    this.instances = instances;
    this.regions = List.copyOf(regions);
    this.gate = gate;
    this.aclWrites = aclWrites;
    this.writer = writer;
    this.clock = clock;
    // A field may not exceed what all fields before the file may take together.
    parts.setMaxInMemorySize(MAX_FIELDS_BYTES);
  }

  private static Map<String, String> signingFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(POLICY, "Policy");
    fields.put(ALGORITHM, "X-Amz-Algorithm");
    fields.put(CREDENTIAL, "X-Amz-Credential");
    fields.put(DATE, "X-Amz-Date");
    fields.put(SIGNATURE, "X-Amz-Signature");
    return fields;
  }

  /** A POST of a form to a bucket, no sub-resource named: S3's browser upload. */
  static boolean isBrowserUpload(S3Request request) {
    if (request.method() != HttpMethod.POST || request.bucket() == null || request.key() != null) {
      return false;
    }
    if (request.query().keySet().stream().anyMatch(S3OperationTable.SUB_RESOURCES::contains)) {
      return false;
    }
    try {
      MediaType type = request.headers().getContentType();
      return type != null
          && type.getType().equalsIgnoreCase("multipart")
          && type.getSubtype().equalsIgnoreCase("form-data");
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  /** The form's fields before its file, by lower-cased name (the first of repeated ones). */
  private static final class Form {
    final Map<String, String> fields = new LinkedHashMap<>();
    final List<String> names = new ArrayList<>();
    int bytes;
    boolean fileSeen;

    void add(String name, String value) {
      bytes += name.length() + value.length();
      if (bytes > MAX_FIELDS_BYTES) {
        throw tooMuchPreData();
      }
      names.add(name);
      fields.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
    }

    String get(String name) {
      return fields.get(name);
    }

    boolean has(String name) {
      return fields.containsKey(name);
    }
  }

  Mono<ServerResponse> post(S3Call call) {
    Form form = new Form();
    Flux<PartEvent> events =
        parts.read(
            ResolvableType.forClass(PartEvent.class),
            call.request().exchange().getRequest(),
            Map.of());
    return events
        // One part at a time, one event ahead: the file streams at the writer's pace.
        .windowUntil(PartEvent::isLast, false, 1)
        .concatMap(
            part -> part.switchOnFirst((first, rest) -> onPart(call, form, first.get(), rest)), 1)
        .collectList()
        .flatMap(
            uploaded ->
                uploaded.isEmpty()
                    ? Mono.error(
                        S3ErrorElements.invalidArgument(
                            "POST requires exactly one file upload per request.", "file", "0"))
                    : Mono.just(uploaded.get(0)))
        .onErrorMap(CodecException.class, S3PostObjectOperations::malformed)
        .onErrorMap(DataBufferLimitException.class, e -> tooMuchPreData());
  }

  /** A field is kept, the file uploaded, anything after the file ignored (as S3 does). */
  private Mono<ServerResponse> onPart(
      S3Call call, Form form, PartEvent first, Flux<PartEvent> events) {
    if (first == null) {
      return events.then(Mono.empty()); // completion or the parser's error
    }
    String name = first.name() == null ? "" : first.name();
    if (!form.fileSeen && name.equalsIgnoreCase("file")) {
      form.fileSeen = true;
      String filename = first instanceof FilePartEvent file ? file.filename() : null;
      return upload(call, form, filename, events.map(PartEvent::content));
    }
    if (form.fileSeen || name.isEmpty()) {
      return events.doOnNext(e -> DataBufferUtils.release(e.content())).then(Mono.empty());
    }
    return events
        .doOnNext(
            e -> {
              form.add(
                  name,
                  e instanceof org.springframework.http.codec.multipart.FormPartEvent field
                      ? field.value()
                      : "");
              DataBufferUtils.release(e.content());
            })
        .then(Mono.empty());
  }

  /** Who signed the form, and on whose bucket it writes. */
  private record Signer(Instance instance, Principal principal, S3PostPolicy policy) {}

  private Mono<ServerResponse> upload(
      S3Call call, Form form, String filename, Flux<DataBuffer> content) {
    String submittedKey = form.get("key");
    if (submittedKey == null) {
      return Mono.error(missingField("key", "key"));
    }
    String key = submittedKey.replace("${filename}", filename == null ? "" : filename);
    return signer(call, form)
        .flatMap(
            signer -> {
              LengthRange range = LengthRange.ANY;
              if (signer.policy() != null) {
                Map<String, String> fields = new LinkedHashMap<>(form.fields);
                fields.put("bucket", call.bucket());
                fields.put("key", key);
                range = signer.policy().check(fields, form.names, clock.instant());
              }
              S3Call put = asPutObject(call, signer, form, key);
              return write(put, form, sized(content, range));
            });
  }

  /**
   * The form's signer: its policy's signature checked against the signing key of its credential; an
   * unsigned form is the request's own caller (anonymous in a namespace).
   */
  private Mono<Signer> signer(S3Call call, Form form) {
    boolean signing =
        SIGNING_FIELDS.keySet().stream().anyMatch(f -> !f.equals(POLICY) && form.has(f));
    if (!signing && (form.has("awsaccesskeyid") || form.has("signature"))) {
      return Mono.error(
          S3ErrorCode.INVALID_REQUEST.error(
              "The authorization mechanism you have provided is not supported. Please use"
                  + " AWS4-HMAC-SHA256.",
              "Signature Version 2 POST policies are not supported"));
    }
    if (!signing) {
      if (form.has(POLICY) || call.instance() == null) {
        // A policy nobody signed, or an unsigned form outside any namespace (no bucket to name).
        return Mono.error(S3AccessGate.denied());
      }
      return Mono.just(new Signer(call.instance(), call.principal(), null));
    }
    for (Map.Entry<String, String> field : SIGNING_FIELDS.entrySet()) {
      if (!form.has(field.getKey())) {
        return Mono.error(missingField(field.getValue(), field.getValue()));
      }
    }
    if (!SigV4.ALGORITHM.equals(form.get(ALGORITHM))) {
      return Mono.error(
          S3ErrorElements.invalidArgument(
              "Only AWS4-HMAC-SHA256 is supported", "X-Amz-Algorithm", form.get(ALGORITHM)));
    }
    String[] scope = form.get(CREDENTIAL).split("/", -1);
    if (scope.length != 5 || !scope[4].equals("aws4_request")) {
      return Mono.error(
          S3ErrorElements.invalidArgument(
              "Invalid credential: must be <key>/<date>/<region>/s3/aws4_request",
              "X-Amz-Credential",
              form.get(CREDENTIAL)));
    }
    if (!regions.contains(scope[2]) || !scope[3].equals("s3")) {
      return Mono.error(
          StorageErrors.of(
              ErrorKind.BAD_REQUEST,
              "AuthorizationHeaderMalformed",
              !scope[3].equals("s3")
                  ? "The authorization header is malformed; incorrect service '"
                      + scope[3]
                      + "'. This endpoint belongs to 's3'."
                  : "The authorization header is malformed; the region '"
                      + scope[2]
                      + "' is wrong; expecting '"
                      + regions.get(0)
                      + "'",
              null));
    }
    String encodedPolicy = form.get(POLICY);
    return keys.find(scope[0], scope[1], scope[2], scope[3])
        .flatMap(
            grant -> {
              String expected = SigV4.sign(grant.signingKey(), encodedPolicy);
              if (!SigV4.matches(expected, form.get(SIGNATURE))) {
                return Mono.error(
                    StorageErrors.of(
                        ErrorKind.FORBIDDEN,
                        "SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you"
                            + " provided. Check your key and signing method.",
                        "StringToSign: " + encodedPolicy));
              }
              S3PostPolicy policy = S3PostPolicy.parse(encodedPolicy);
              return instances
                  .require(grant.tenantId(), grant.serviceId())
                  .onErrorMap(
                      e -> e instanceof ApiException api && api.kind() == ErrorKind.NOT_FOUND,
                      e -> S3AccessGate.denied())
                  .map(signerInstance -> signer(call, signerInstance, policy));
            });
  }

  /** Outside a namespace the bucket is the signer's; in one, the signer may be another instance. */
  private static Signer signer(S3Call call, Instance signerInstance, S3PostPolicy policy) {
    Instance bucketInstance = call.instance() == null ? signerInstance : call.instance();
    boolean owner = bucketInstance.serviceId().equals(signerInstance.serviceId());
    return new Signer(bucketInstance, new Principal(signerInstance.serviceId(), owner), policy);
  }

  /** The form as the PutObject it asks for: its fields as headers, its key as the path's. */
  private static S3Call asPutObject(S3Call call, Signer signer, Form form, String key) {
    for (String name : form.fields.keySet()) {
      if (UNSUPPORTED_FIELDS.stream().anyMatch(name::startsWith)) {
        throw S3ErrorCode.NOT_IMPLEMENTED.error("POST Object does not take the field " + name);
      }
    }
    HttpHeaders headers = new HttpHeaders();
    form.fields.forEach(
        (name, value) -> {
          if (HEADER_FIELDS.contains(name) || name.startsWith("x-amz-meta-")) {
            headers.add(name, value);
          }
        });
    if (form.has("acl")) {
      headers.set("x-amz-acl", form.get("acl"));
    }
    S3Request target = new S3Request(HttpMethod.PUT, call.bucket(), key, Map.of(), headers);
    return new S3Call(call.request(), null, signer.instance(), target, signer.principal());
  }

  private Mono<ServerResponse> write(S3Call put, Form form, Flux<DataBuffer> content) {
    PutObjectCommand command;
    try {
      command =
          new PutObjectCommand(
              put.instance(),
              put.bucket(),
              put.key(),
              put.header(HttpHeaders.CONTENT_TYPE),
              S3ObjectOperations.userMetadata(put.headers()),
              null,
              S3EncryptionOperations.requested(put),
              -1,
              Map.of(),
              null,
              null,
              false,
              null,
              () -> null,
              content);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    return gate.check(put, "PutObject")
        .then(aclWrites.before(put, "PutObject"))
        .flatMap(
            intent ->
                writer
                    .put(command)
                    .flatMap(
                        object ->
                            written(object)
                                .flatMap(ack -> aclWrites.after(put, "PutObject", intent, ack))
                                .then(respond(put, form, object))));
  }

  /** What the ACL step reads of a write's answer (whatever the form's): success, version. */
  private static Mono<ServerResponse> written(StoredObject object) {
    return ServerResponse.ok()
        .headers(h -> S3ObjectOperations.versionHeader(h, object.versionId()))
        .build();
  }

  /**
   * {@code success_action_redirect} (or the older {@code redirect}): 303 to it with the bucket, key
   * and ETag; else {@code success_action_status} 200, 201 (with a PostResponse document) or 204,
   * the default.
   */
  private static Mono<ServerResponse> respond(S3Call put, Form form, StoredObject object) {
    String etag = S3ObjectOperations.quoted(object.etag());
    String location = location(put);
    HttpHeaders headers = new HttpHeaders();
    headers.setETag(etag);
    headers.set(HttpHeaders.LOCATION, location);
    S3ObjectOperations.versionHeader(headers, object.versionId());
    S3EncryptionOperations.responseHeader(headers, object.encrypted());
    URI redirect = redirect(form);
    if (redirect != null) {
      String target =
          redirect
              + (redirect.getRawQuery() == null ? "?" : "&")
              + "bucket="
              + UriUtils.encode(put.bucket(), StandardCharsets.UTF_8)
              + "&key="
              + UriUtils.encode(put.key(), StandardCharsets.UTF_8)
              + "&etag="
              + UriUtils.encode(etag, StandardCharsets.UTF_8);
      headers.set(HttpHeaders.LOCATION, target);
      return ServerResponse.status(HttpStatus.SEE_OTHER).headers(h -> h.addAll(headers)).build();
    }
    String status = form.get("success_action_status");
    if ("201".equals(status)) {
      return ServerResponse.status(HttpStatus.CREATED)
          .headers(h -> h.addAll(headers))
          .contentType(MediaType.APPLICATION_XML)
          .bodyValue(
              S3Xml.plain("PostResponse")
                  .element("Location", location)
                  .element("Bucket", put.bucket())
                  .element("Key", put.key())
                  .element("ETag", etag)
                  .end("PostResponse"));
    }
    HttpStatus answer = "200".equals(status) ? HttpStatus.OK : HttpStatus.NO_CONTENT;
    return ServerResponse.status(answer).headers(h -> h.addAll(headers)).build();
  }

  /** An absolute http(s) URL to redirect to; S3 ignores any other. */
  private static URI redirect(Form form) {
    String value =
        form.has("success_action_redirect")
            ? form.get("success_action_redirect")
            : form.get("redirect");
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(value.strip());
      String scheme = uri.getScheme();
      boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
      return web && uri.getHost() != null ? uri : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The new object's URL: the bucket's URL the form was posted to, and the key. */
  private static String location(S3Call put) {
    URI uri = put.request().uri();
    String path = uri.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return uri.getScheme()
        + "://"
        + uri.getRawAuthority()
        + path
        + "/"
        + UriUtils.encodePath(put.key(), StandardCharsets.UTF_8);
  }

  /**
   * The file's bytes, refused as soon as they pass the policy's largest size and, at their end,
   * when short of its smallest: the object is then never committed.
   */
  private static Flux<DataBuffer> sized(Flux<DataBuffer> content, LengthRange range) {
    if (range.equals(LengthRange.ANY)) {
      return content;
    }
    return Flux.defer(
        () -> {
          AtomicLong seen = new AtomicLong();
          return content
              .<DataBuffer>handle(
                  (buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > range.max()) {
                      DataBufferUtils.release(buffer);
                      // The size so far: the rest of the body is not read to count it.
                      sink.error(S3ErrorElements.entityTooLarge(seen.get(), range.max()));
                    } else {
                      sink.next(buffer);
                    }
                  })
              .concatWith(
                  Mono.defer(
                      () ->
                          seen.get() < range.min()
                              ? Mono.error(S3ErrorElements.entityTooSmall(seen.get(), range.min()))
                              : Mono.empty()));
        });
  }

  private static RuntimeException missingField(String name, String argument) {
    return S3ErrorElements.invalidArgument(
        "Bucket POST must contain a field named '"
            + name
            + "'.  If it is specified, please check the order of the fields.",
        argument,
        "");
  }

  private static RuntimeException malformed(Throwable cause) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "MalformedPOSTRequest",
        "The body of your POST request is not well-formed multipart/form-data.",
        cause.getMessage());
  }

  private static RuntimeException tooMuchPreData() {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "MaxPostPreDataLengthExceededError",
        "Your POST request fields preceding the upload file were too large.",
        "at most " + MAX_FIELDS_BYTES + " bytes");
  }
}
