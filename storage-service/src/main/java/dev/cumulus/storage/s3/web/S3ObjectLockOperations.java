package dev.cumulus.storage.s3.web;

import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.DefaultRetention;
import dev.cumulus.storage.bucket.domain.RetentionMode;
import dev.cumulus.storage.object.application.DeleteMarkerException;
import dev.cumulus.storage.object.application.ObjectLocking;
import dev.cumulus.storage.object.domain.ObjectLockRequest;
import dev.cumulus.storage.object.domain.Retention;
import dev.cumulus.storage.object.domain.StoredObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * S3 Object Lock: Get/PutObjectLockConfiguration of buckets, Get/PutObjectRetention and
 * Get/PutObjectLegalHold of versions, the {@code x-amz-object-lock-*} headers that PutObject,
 * CopyObject and CreateMultipartUpload take and GET/HEAD return, and {@code
 * x-amz-bypass-governance-retention}.
 */
class S3ObjectLockOperations {

  static final String MODE = "x-amz-object-lock-mode";
  static final String RETAIN_UNTIL = "x-amz-object-lock-retain-until-date";
  static final String LEGAL_HOLD = "x-amz-object-lock-legal-hold";
  static final String BYPASS = "x-amz-bypass-governance-retention";
  static final String BUCKET_LOCK = "x-amz-bucket-object-lock-enabled";
  private static final int MAX_BODY = 64 * 1024;

  private final BucketService buckets;
  private final ObjectLocking locking;

  S3ObjectLockOperations(BucketService buckets, ObjectLocking locking) {
    this.buckets = buckets;
    this.locking = locking;
  }

  /** GetObjectLockConfiguration: 404 ObjectLockConfigurationNotFoundError without Object Lock. */
  Mono<ServerResponse> getConfiguration(S3Call call) {
    return buckets
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket -> {
              if (!bucket.objectLock()) {
                return Mono.error(
                    S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND.error(
                        "the bucket was created without Object Lock"));
              }
              S3Xml xml =
                  S3Xml.document("ObjectLockConfiguration").element("ObjectLockEnabled", "Enabled");
              DefaultRetention rule = bucket.defaultRetention();
              if (rule != null) {
                xml.open("Rule")
                    .open("DefaultRetention")
                    .element("Mode", rule.mode().name())
                    .element("Days", rule.days() > 0 ? rule.days() : null)
                    .element("Years", rule.years() > 0 ? rule.years() : null)
                    .close("DefaultRetention")
                    .close("Rule");
              }
              return S3BucketOperations.xml(xml.end("ObjectLockConfiguration"));
            });
  }

  /**
   * PutObjectLockConfiguration: {@code ObjectLockEnabled} Enabled and an optional default rule (a
   * Mode and Days or Years, not both). Turns Object Lock on for a bucket whose versioning is
   * enabled (409 InvalidBucketState otherwise); a configuration without a rule removes the default.
   */
  Mono<ServerResponse> putConfiguration(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .map(S3ObjectLockOperations::configuration)
        .flatMap(rule -> buckets.setObjectLock(call.instance(), call.bucket(), rule.orElse(null)))
        .then(ServerResponse.ok().build());
  }

  /** The default rule of an ObjectLockConfiguration document (empty: none). */
  static java.util.Optional<DefaultRetention> configuration(String body) {
    S3Xml.Node root = S3Xml.tree(body);
    if (!root.name().equals("ObjectLockConfiguration")) {
      throw S3Xml.malformed("expected <ObjectLockConfiguration>");
    }
    if (!"Enabled".equals(root.text("ObjectLockEnabled"))) {
      throw S3Xml.malformed("ObjectLockEnabled must be Enabled");
    }
    S3Xml.Node rule = root.one("Rule");
    if (rule == null) {
      return java.util.Optional.empty();
    }
    S3Xml.Node retention = rule.one("DefaultRetention");
    if (retention == null) {
      throw S3Xml.malformed("<Rule> needs <DefaultRetention>");
    }
    RetentionMode mode =
        RetentionMode.of(retention.text("Mode"))
            .orElseThrow(() -> S3Xml.malformed("Mode must be GOVERNANCE or COMPLIANCE"));
    String days = retention.text("Days");
    String years = retention.text("Years");
    if ((days == null) == (years == null)) {
      throw S3Xml.malformed("DefaultRetention takes Days or Years, not both and not neither");
    }
    int period;
    try {
      period = Integer.parseInt(days != null ? days : years);
    } catch (NumberFormatException e) {
      throw S3Xml.malformed("Days and Years are integers");
    }
    if (period <= 0) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "Default retention period must be a positive integer value", "period " + period);
    }
    return java.util.Optional.of(
        new DefaultRetention(mode, days != null ? period : 0, years != null ? period : 0));
  }

  /** GetObjectRetention: 404 NoSuchObjectLockConfiguration for a version without one. */
  Mono<ServerResponse> getRetention(S3Call call) {
    return version(call)
        .flatMap(
            found -> {
              Retention retention = found.retention();
              if (retention == null) {
                return Mono.error(noLockConfiguration());
              }
              return S3BucketOperations.xml(
                  S3Xml.document("Retention")
                      .element("Mode", retention.mode().name())
                      .element("RetainUntilDate", S3Xml.timestamp(retention.retainUntil()))
                      .end("Retention"));
            });
  }

  /**
   * PutObjectRetention: {@code <Retention><Mode/><RetainUntilDate/></Retention>}; both empty
   * removes the retention (GOVERNANCE only, with the bypass header).
   */
  Mono<ServerResponse> putRetention(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .map(S3ObjectLockOperations::retention)
        .flatMap(
            wanted ->
                locking.setRetention(
                    call.instance(),
                    call.bucket(),
                    call.key(),
                    call.param("versionId"),
                    wanted.orElse(null),
                    bypass(call)))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            found ->
                ServerResponse.ok()
                    .headers(h -> S3ObjectOperations.versionHeader(h, found.versionId()))
                    .build());
  }

  /** A Retention document's retention (empty: Mode and RetainUntilDate both absent). */
  static java.util.Optional<Retention> retention(String body) {
    S3Xml.Node root = S3Xml.tree(body);
    if (!root.name().equals("Retention")) {
      throw S3Xml.malformed("expected <Retention>");
    }
    String mode = root.text("Mode");
    String until = root.text("RetainUntilDate");
    if (isBlank(mode) && isBlank(until)) {
      return java.util.Optional.empty();
    }
    if (isBlank(mode) || isBlank(until)) {
      throw S3Xml.malformed("<Retention> needs both Mode and RetainUntilDate");
    }
    return java.util.Optional.of(
        new Retention(
            RetentionMode.of(mode)
                .orElseThrow(() -> S3Xml.malformed("Mode must be GOVERNANCE or COMPLIANCE")),
            date(until)));
  }

  /** GetObjectLegalHold: 404 NoSuchObjectLockConfiguration for a version never given one. */
  Mono<ServerResponse> getLegalHold(S3Call call) {
    return version(call)
        .flatMap(
            found ->
                found.legalHold() == null
                    ? Mono.error(noLockConfiguration())
                    : S3BucketOperations.xml(
                        S3Xml.document("LegalHold")
                            .element("Status", found.legalHold() ? "ON" : "OFF")
                            .end("LegalHold")));
  }

  /** PutObjectLegalHold: {@code <LegalHold><Status>ON|OFF</Status></LegalHold>}. */
  Mono<ServerResponse> putLegalHold(S3Call call) {
    return call.xmlBody(MAX_BODY)
        .map(
            body -> {
              S3Xml.Node root = S3Xml.tree(body);
              String status = root.text("Status");
              if (!root.name().equals("LegalHold")
                  || !("ON".equals(status) || "OFF".equals(status))) {
                throw S3Xml.malformed("expected <LegalHold><Status>ON|OFF</Status>");
              }
              return "ON".equals(status);
            })
        .flatMap(
            on ->
                locking.setLegalHold(
                    call.instance(), call.bucket(), call.key(), call.param("versionId"), on))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e))
        .flatMap(
            found ->
                ServerResponse.ok()
                    .headers(h -> S3ObjectOperations.versionHeader(h, found.versionId()))
                    .build());
  }

  private Mono<StoredObject> version(S3Call call) {
    return locking
        .version(call.instance(), call.bucket(), call.key(), call.param("versionId"))
        .doOnError(DeleteMarkerException.class, e -> S3ObjectOperations.markerHeaders(call, e));
  }

  /**
   * The Object Lock a write's headers ask for; null when they ask for none.
   *
   * @throws dev.cumulus.platform.error.ApiException InvalidArgument for a mode without a date (or
   *     the reverse), an unknown mode, a date that is not ISO 8601, a legal hold other than ON/OFF
   */
  static ObjectLockRequest headerLock(S3Call call) {
    String mode = call.header(MODE);
    String until = call.header(RETAIN_UNTIL);
    String hold = call.header(LEGAL_HOLD);
    if (mode == null && until == null && hold == null) {
      return null;
    }
    if ((mode == null) != (until == null)) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
          null);
    }
    Retention retention = null;
    if (mode != null) {
      retention =
          new Retention(
              RetentionMode.of(mode.strip())
                  .orElseThrow(
                      () ->
                          S3ErrorCode.INVALID_ARGUMENT.error(
                              "Unknown wormMode directive.", MODE + ": " + mode)),
              headerDate(until));
    }
    Boolean legalHold = null;
    if (hold != null) {
      if (!hold.strip().equals("ON") && !hold.strip().equals("OFF")) {
        throw S3ErrorCode.INVALID_ARGUMENT.error(
            "Legal Hold must be either of 'ON' or 'OFF'", LEGAL_HOLD + ": " + hold);
      }
      legalHold = hold.strip().equals("ON");
    }
    return new ObjectLockRequest(retention, legalHold);
  }

  /** {@code x-amz-bypass-governance-retention: true}. */
  static boolean bypass(S3Call call) {
    String value = call.header(BYPASS);
    return value != null && value.strip().toLowerCase(Locale.ROOT).equals("true");
  }

  /** A version's lock on a GET or HEAD: only what it has. */
  static void responseHeaders(HttpHeaders h, StoredObject object) {
    if (object.retention() != null) {
      h.set(MODE, object.retention().mode().name());
      h.set(RETAIN_UNTIL, S3Xml.timestamp(object.retention().retainUntil()));
    }
    if (object.legalHold() != null) {
      h.set(LEGAL_HOLD, object.legalHold() ? "ON" : "OFF");
    }
  }

  private static Instant headerDate(String value) {
    try {
      return parseDate(value);
    } catch (DateTimeParseException e) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(
          "The retain until date must be provided in ISO 8601 format", RETAIN_UNTIL + ": " + value);
    }
  }

  private static Instant date(String value) {
    try {
      return parseDate(value);
    } catch (DateTimeParseException e) {
      throw S3Xml.malformed("RetainUntilDate must be an ISO 8601 date");
    }
  }

  private static Instant parseDate(String value) {
    return OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static RuntimeException noLockConfiguration() {
    return S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION.error(null);
  }
}
