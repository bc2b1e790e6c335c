package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.web.TrustedProxies;
import dev.cumulus.storage.access.application.AccessService;
import dev.cumulus.storage.access.domain.AccessRequest;
import dev.cumulus.storage.access.domain.BucketAccess;
import dev.cumulus.storage.access.domain.BucketPolicy;
import dev.cumulus.storage.access.domain.Decision;
import dev.cumulus.storage.access.domain.Permission;
import dev.cumulus.storage.access.domain.Principal;
import dev.cumulus.storage.common.StorageErrors;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Whether an S3 request may do what it asks, before its operation runs: the bucket policy (an
 * explicit Deny wins, for the owner too), then the owner, then a policy Allow, then the bucket's or
 * object's ACL (when Object Ownership lets ACLs count), then the seed API's {@code publicAccess}
 * for object reads; PublicAccessBlock's IgnorePublicAcls and RestrictPublicBuckets set aside public
 * grants and public policies. Anything else is 403 AccessDenied.
 *
 * <p>The owner's request costs one cached lookup of its bucket's settings, and nothing else when
 * the bucket has no policy.
 */
class S3AccessGate {

  static final String EXPECTED_OWNER = "x-amz-expected-bucket-owner";
  static final String EXPECTED_SOURCE_OWNER = "x-amz-source-expected-bucket-owner";

  private final AccessService access;
  private final TrustedProxies proxies;

  S3AccessGate(AccessService access, TrustedProxies proxies) {
    this.access = access;
    this.proxies = proxies;
  }

  Mono<Void> check(S3Call call, String operation) {
    if (S3PostObjectOperations.NAME.equals(operation)) {
      // Its signer is in its form: it asks here as a PutObject once it has read it.
      return Mono.empty();
    }
    Principal principal = call.principal();
    if (call.bucket() == null) {
      return principal.owner() ? Mono.empty() : Mono.error(denied());
    }
    if (!expectedOwner(call, EXPECTED_OWNER) || !expectedOwner(call, EXPECTED_SOURCE_OWNER)) {
      return Mono.error(denied());
    }
    if (hasNul(call.bucket()) || hasNul(call.key())) {
      // No bucket or key has one (PostgreSQL's text cannot hold it): the operation refuses it.
      return principal.owner() ? Mono.empty() : Mono.error(denied());
    }
    if (principal.owner()) {
      Mono<Void> own =
          access
              .recent(call.instance(), call.bucket())
              .filter(bucket -> bucket.policy() != null && operation != null)
              .flatMap(bucket -> ownerCheck(call, operation, bucket))
              .then();
      return copies(operation) ? own.then(Mono.defer(() -> sourceCheck(call))) : own;
    }
    if (operation == null || operation.equals("CreateBucket")) {
      return Mono.error(denied());
    }
    // A bucket unknown to the cache may have been created since: look again before NoSuchBucket.
    return access
        .recent(call.instance(), call.bucket())
        .switchIfEmpty(Mono.defer(() -> access.current(call.instance(), call.bucket())))
        .switchIfEmpty(Mono.error(() -> StorageErrors.noSuchBucket(call.bucket())))
        .flatMap(bucket -> otherCheck(call, operation, bucket));
  }

  private Mono<Void> ownerCheck(S3Call call, String operation, BucketAccess bucket) {
    // The owner can always manage the policy and its settings: a policy cannot lock it out.
    if (S3Actions.ownerOnly(operation)) {
      return Mono.empty();
    }
    String action = S3Actions.of(operation, call.target());
    if (action == null) {
      return Mono.empty();
    }
    AccessRequest request = request(call, action, call.key());
    return bucket.policy().evaluate(request) == Decision.DENY ? Mono.error(denied()) : Mono.empty();
  }

  private static boolean copies(String operation) {
    return "CopyObject".equals(operation) || "UploadPartCopy".equals(operation);
  }

  private Mono<Void> otherCheck(S3Call call, String operation, BucketAccess bucket) {
    String action = S3Actions.of(operation, call.target());
    if (action == null) {
      return Mono.error(denied());
    }
    return allows(call, bucket, action, call.key())
        .flatMap(
            allowed -> {
              if (!allowed) {
                return Mono.error(denied());
              }
              if (S3Actions.ownerOnly(operation)) {
                // AWS: allowed by the policy, but only the bucket's own account may do this.
                return Mono.error(
                    StorageErrors.of(
                        ErrorKind.METHOD_NOT_ALLOWED,
                        "MethodNotAllowed",
                        "The specified method is not allowed against this resource.",
                        "only the bucket's own instance may call " + operation));
              }
              if (operation.equals("DeleteObjects")) {
                return deleteObjectsCheck(bucket);
              }
              if (copies(operation)) {
                return sourceCheck(call);
              }
              return Mono.<Void>empty();
            });
  }

  /**
   * A batch delete names its keys in its body, which the gate does not read: another instance may
   * send one only when the bucket's ACL lets it delete any key and no policy could say otherwise.
   */
  private Mono<Void> deleteObjectsCheck(BucketAccess bucket) {
    return bucket.policy() == null ? Mono.empty() : Mono.error(denied());
  }

  /** A copy reads its source: the caller must be allowed to, in the source's own bucket. */
  private Mono<Void> sourceCheck(S3Call call) {
    S3ObjectOperations.CopySource source;
    try {
      source = S3ObjectOperations.copySource(call);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
    String action = source.versionId() == null ? "s3:GetObject" : "s3:GetObjectVersion";
    return access
        .recent(call.instance(), source.bucket())
        .switchIfEmpty(Mono.defer(() -> access.current(call.instance(), source.bucket())))
        .flatMap(
            bucket -> {
              if (call.principal().owner()) {
                BucketPolicy policy = bucket.policy();
                boolean denied =
                    policy != null
                        && policy.evaluate(request(call, action, source.bucket(), source.key()))
                            == Decision.DENY;
                return denied ? Mono.<Void>error(denied()) : Mono.<Void>empty();
              }
              return allows(call, bucket, action, source.bucket(), source.key(), source.versionId())
                  .flatMap(ok -> ok ? Mono.<Void>empty() : Mono.<Void>error(denied()));
            })
        .then();
  }

  private Mono<Boolean> allows(S3Call call, BucketAccess bucket, String action, String key) {
    return allows(call, bucket, action, call.bucket(), key, call.param("versionId"));
  }

  /** The decision for a caller that is not the bucket's owner. */
  private Mono<Boolean> allows(
      S3Call call,
      BucketAccess bucket,
      String action,
      String bucketName,
      String key,
      String versionId) {
    Principal principal = call.principal();
    BucketPolicy policy = bucket.policy();
    if (policy != null) {
      Decision decision = policy.evaluate(request(call, action, bucketName, key));
      if (decision == Decision.DENY) {
        return Mono.just(false);
      }
      boolean restricted = bucket.block().restrictPublicBuckets() && policy.isPublic();
      if (decision == Decision.ALLOW && !restricted) {
        return Mono.just(true);
      }
    }
    boolean ignorePublic = bucket.block().ignorePublicAcls();
    if (bucket.aclsEnabled()) {
      Permission onBucket = S3Actions.bucketPermission(action);
      if (onBucket != null && bucket.acl().allows(principal, onBucket, ignorePublic)) {
        return Mono.just(true);
      }
    }
    boolean read = action.equals("s3:GetObject") || action.equals("s3:GetObjectVersion");
    if (read && bucket.publicObjects() && !ignorePublic) {
      return Mono.just(true);
    }
    Permission onObject = key == null ? null : S3Actions.objectPermission(action);
    if (onObject == null || !bucket.aclsEnabled()) {
      return Mono.just(false);
    }
    // The version the request reads: the latest unless it names one ("null" is one too).
    return objectVersion(call, bucketName, key, versionId)
        .flatMap(version -> access.objectAcl(bucket, key, version))
        .map(acl -> acl.allows(principal, onObject, ignorePublic))
        .defaultIfEmpty(false);
  }

  private Mono<String> objectVersion(S3Call call, String bucket, String key, String versionId) {
    if (versionId != null) {
      return Mono.just(versionId);
    }
    return access.latestVersion(call.instance(), bucket, key);
  }

  private AccessRequest request(S3Call call, String action, String key) {
    return request(call, action, call.bucket(), key);
  }

  private AccessRequest request(S3Call call, String action, String bucket, String key) {
    String resource =
        key == null ? AccessRequest.bucketArn(bucket) : AccessRequest.objectArn(bucket, key);
    return new AccessRequest(call.principal(), action, resource, context(call));
  }

  /** The condition keys of a request, lower-cased as policies are matched against them. */
  private Map<String, List<String>> context(S3Call call) {
    Map<String, List<String>> context = new HashMap<>();
    var http = call.request().exchange().getRequest();
    String ip = proxies.clientAddress(http);
    if (ip != null) {
      context.put("aws:sourceip", List.of(ip));
    }
    context.put("aws:securetransport", List.of(Boolean.toString(secure(http))));
    Principal principal = call.principal();
    context.put("aws:principaltype", List.of(principal.anonymous() ? "Anonymous" : "Account"));
    if (!principal.anonymous()) {
      context.put("aws:principalaccount", List.of(principal.canonicalId()));
      context.put("aws:userid", List.of(principal.canonicalId()));
    }
    put(context, "aws:referer", call.header("Referer"));
    put(context, "aws:useragent", call.header("User-Agent"));
    put(context, "s3:prefix", call.param("prefix"));
    put(context, "s3:delimiter", call.param("delimiter"));
    put(context, "s3:max-keys", call.param("max-keys"));
    put(context, "s3:versionid", call.param("versionId"));
    put(context, "s3:x-amz-acl", call.header("x-amz-acl"));
    put(context, "s3:x-amz-copy-source", call.header(S3ObjectOperations.COPY_SOURCE));
    put(context, "s3:x-amz-metadata-directive", call.header("x-amz-metadata-directive"));
    put(context, "s3:x-amz-server-side-encryption", call.header("x-amz-server-side-encryption"));
    put(context, "s3:x-amz-content-sha256", call.header("x-amz-content-sha256"));
    put(context, "s3:x-amz-storage-class", call.header("x-amz-storage-class"));
    if (call.auth() != null) {
      context.put("s3:signatureversion", List.of("AWS4-HMAC-SHA256"));
      context.put(
          "s3:authtype",
          List.of(call.auth().signed().presigned() ? "REST-QUERY-STRING" : "REST-HEADER"));
    }
    return context;
  }

  /**
   * Whether the client reached us over TLS: directly, or through a trusted proxy (the gateway)
   * whose {@code X-Forwarded-Proto} (its right-most entry, the one it wrote) says so. From anyone
   * else the header could be planted to satisfy {@code aws:SecureTransport}.
   */
  private boolean secure(ServerHttpRequest http) {
    if ("https".equalsIgnoreCase(http.getURI().getScheme())) {
      return true;
    }
    InetSocketAddress peer = http.getRemoteAddress();
    String proto = http.getHeaders().getFirst("X-Forwarded-Proto");
    if (peer == null || peer.getAddress() == null || proto == null) {
      return false;
    }
    String last = proto.substring(proto.lastIndexOf(',') + 1).trim();
    return proxies.trusts(peer.getAddress()) && last.equalsIgnoreCase("https");
  }

  private static void put(Map<String, List<String>> context, String key, String value) {
    if (value != null) {
      context.put(key, List.of(value));
    }
  }

  private static boolean hasNul(String name) {
    return name != null && name.indexOf('\0') >= 0;
  }

  /**
   * Whether the bucket's owner is the one the request expects, when it names one ({@code
   * x-amz-expected-bucket-owner}; {@code x-amz-source-expected-bucket-owner} for a copy's source,
   * always a bucket of the same instance). An instance's canonical id is its service id.
   */
  private static boolean expectedOwner(S3Call call, String header) {
    String expected = call.header(header);
    return expected == null || expected.strip().equals(call.instance().serviceId());
  }

  static RuntimeException denied() {
    return S3ErrorCode.ACCESS_DENIED.error(null);
  }
}
