package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.access.application.AccessService;
import dev.cumulus.storage.access.domain.AccessControlList;
import dev.cumulus.storage.access.domain.BucketAccess;
import dev.cumulus.storage.access.domain.CannedAcl;
import dev.cumulus.storage.access.domain.Grant;
import dev.cumulus.storage.access.domain.Grantee;
import dev.cumulus.storage.access.domain.Permission;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.application.ObjectReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl, and the ACL a request asks for: a canned ACL ({@code
 * x-amz-acl}), grant headers ({@code x-amz-grant-*}) or an AccessControlPolicy document. Under
 * Object Ownership BucketOwnerEnforced (every bucket's default) ACLs can be read but not set, but
 * for the owner-only ACL, as AWS answers: AccessControlListNotSupported.
 */
class S3AclOperations {

  static final String CANONICAL_USER =
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"";
  static final String GROUP =
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"";

  private static final int MAX_ACL_BYTES = 64 * 1024;
  private static final List<String[]> GRANT_HEADERS =
      List.of(
          new String[] {"x-amz-grant-read", "READ"},
          new String[] {"x-amz-grant-write", "WRITE"},
          new String[] {"x-amz-grant-read-acp", "READ_ACP"},
          new String[] {"x-amz-grant-write-acp", "WRITE_ACP"},
          new String[] {"x-amz-grant-full-control", "FULL_CONTROL"});
  private static final Pattern GRANTEE =
      Pattern.compile("\\s*(id|uri|emailAddress)\\s*=\\s*\"([^\"]*)\"\\s*(,|$)");

  private final AccessService access;
  private final ObjectReader reader;

  S3AclOperations(AccessService access, ObjectReader reader) {
    this.access = access;
    this.reader = reader;
  }

  Mono<ServerResponse> getBucketAcl(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> xml(call, aclOf(bucket), null));
  }

  Mono<ServerResponse> putBucketAcl(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket ->
                call.xmlBody(MAX_ACL_BYTES)
                    .map(body -> requiredAcl(call, body, bucket.owner(), bucket.owner()))
                    .flatMap(
                        acl ->
                            checkSettable(bucket, acl)
                                .then(access.setAcl(call.instance(), bucket, acl))))
        .then(ServerResponse.ok().build());
  }

  Mono<ServerResponse> getObjectAcl(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket ->
                reader
                    .head(call.instance(), call.bucket(), call.key(), call.param("versionId"))
                    .flatMap(
                        object ->
                            (bucket.aclsEnabled()
                                    ? access.objectAcl(
                                        bucket, call.key(), AccessService.versionOf(object))
                                    : Mono.just(AccessControlList.ownerOnly(bucket.owner())))
                                .flatMap(acl -> xml(call, acl, object.versionId()))));
  }

  Mono<ServerResponse> putObjectAcl(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket ->
                reader
                    .head(call.instance(), call.bucket(), call.key(), call.param("versionId"))
                    .flatMap(
                        object ->
                            call.xmlBody(MAX_ACL_BYTES)
                                .map(
                                    body -> requiredAcl(call, body, bucket.owner(), bucket.owner()))
                                .flatMap(
                                    acl ->
                                        checkSettable(bucket, acl)
                                            .then(
                                                access.setObjectAcl(
                                                    bucket,
                                                    call.key(),
                                                    AccessService.versionOf(object),
                                                    acl)))
                                .then(
                                    ServerResponse.ok()
                                        .headers(
                                            h ->
                                                S3ObjectOperations.versionHeader(
                                                    h, object.versionId()))
                                        .build())));
  }

  /**
   * Whether the ACL may be set on the bucket or its objects: under BucketOwnerEnforced only the
   * owner-only ACL (AccessControlListNotSupported), under BlockPublicAcls no public one.
   */
  static Mono<Void> checkSettable(BucketAccess bucket, AccessControlList acl) {
    if (!bucket.aclsEnabled() && !acl.ownerFullControlOnly()) {
      return Mono.error(aclsNotSupported());
    }
    if (bucket.block().blockPublicAcls() && acl.isPublic()) {
      return Mono.error(S3AccessGate.denied());
    }
    return Mono.empty();
  }

  static RuntimeException aclsNotSupported() {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "AccessControlListNotSupported",
        "The bucket does not allow ACLs",
        "Object Ownership is BucketOwnerEnforced");
  }

  private static AccessControlList aclOf(BucketAccess bucket) {
    return bucket.aclsEnabled() ? bucket.acl() : AccessControlList.ownerOnly(bucket.owner());
  }

  private static Mono<ServerResponse> xml(S3Call call, AccessControlList acl, String versionId) {
    String display = call.instance().tenantId();
    S3Xml xml =
        S3Xml.document("AccessControlPolicy")
            .open("Owner")
            .element("ID", acl.owner())
            .element(
                "DisplayName", acl.owner().equals(call.instance().serviceId()) ? display : null)
            .close("Owner")
            .open("AccessControlList");
    for (Grant grant : acl.grants()) {
      xml.open("Grant");
      Grantee grantee = grant.grantee();
      if (grantee.uri() != null) {
        xml.open("Grantee", GROUP).element("URI", grantee.uri()).close("Grantee");
      } else {
        xml.open("Grantee", CANONICAL_USER).element("ID", grantee.id());
        if (grantee.id().equals(call.instance().serviceId())) {
          xml.element("DisplayName", display);
        }
        xml.close("Grantee");
      }
      xml.element("Permission", grant.permission().name()).close("Grant");
    }
    String body = xml.close("AccessControlList").end("AccessControlPolicy");
    return ServerResponse.ok()
        .headers(h -> S3ObjectOperations.versionHeader(h, versionId))
        .contentType(MediaType.APPLICATION_XML)
        .bodyValue(body);
  }

  /** Put*Acl's ACL: from its headers or its body, exactly one of them. */
  private static AccessControlList requiredAcl(
      S3Call call, String body, String owner, String bucketOwner) {
    AccessControlList fromHeaders = headerAcl(call, owner, bucketOwner);
    boolean hasBody = !body.isBlank();
    if (fromHeaders != null && hasBody) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "UnexpectedContent",
          "This request does not support content",
          "an ACL in headers and in the body");
    }
    if (fromHeaders != null) {
      return fromHeaders;
    }
    if (!hasBody) {
      throw StorageErrors.of(
          ErrorKind.BAD_REQUEST,
          "MissingSecurityHeader",
          "Your request was missing a required header",
          "x-amz-acl, an x-amz-grant-* header or an AccessControlPolicy body");
    }
    return documentAcl(body, owner);
  }

  /**
   * The ACL a request's headers ask for: its canned ACL, or its grants (with the owner's FULL
   * CONTROL); null when it sends neither.
   */
  static AccessControlList headerAcl(S3Call call, String owner, String bucketOwner) {
    String canned = call.header("x-amz-acl");
    List<Grant> grants = new ArrayList<>();
    for (String[] header : GRANT_HEADERS) {
      for (String value : call.headers().getOrEmpty(header[0])) {
        for (Grantee grantee : grantees(header[0], value)) {
          grants.add(new Grant(grantee, Permission.valueOf(header[1])));
        }
      }
    }
    if (canned != null && !grants.isEmpty()) {
      throw S3ErrorCode.INVALID_REQUEST.error(
          "Specifying both Canned ACLs and Header Grants is not allowed", null);
    }
    if (canned != null) {
      CannedAcl acl = CannedAcl.of(canned);
      if (acl == null) {
        throw S3ErrorCode.INVALID_ARGUMENT.error("x-amz-acl: " + canned);
      }
      return acl.toAcl(owner, bucketOwner);
    }
    return grants.isEmpty() ? null : new AccessControlList(owner, grants);
  }

  /** The canned ACL a request names, null for none. */
  static CannedAcl canned(S3Call call) {
    String canned = call.header("x-amz-acl");
    return canned == null ? null : CannedAcl.of(canned);
  }

  private static List<Grantee> grantees(String header, String value) {
    List<Grantee> grantees = new ArrayList<>();
    Matcher m = GRANTEE.matcher(value);
    int at = 0;
    while (at < value.length() && m.find(at) && m.start() == at) {
      grantees.add(grantee(m.group(1), m.group(2), header + ": " + value));
      at = m.end();
    }
    if (at != value.length() || grantees.isEmpty()) {
      throw S3ErrorCode.INVALID_ARGUMENT.error(header + ": " + value);
    }
    return grantees;
  }

  private static Grantee grantee(String type, String value, String where) {
    return switch (type) {
      case "id" -> {
        if (value.isBlank()) {
          throw S3ErrorCode.INVALID_ARGUMENT.error("Invalid id", where);
        }
        yield Grantee.user(value);
      }
      case "uri" -> {
        if (!Grantee.knownGroup(value)) {
          throw S3ErrorCode.INVALID_ARGUMENT.error("Invalid group uri", where);
        }
        yield Grantee.group(value);
      }
      default -> throw unresolvableEmail(where);
    };
  }

  private static RuntimeException unresolvableEmail(String where) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "UnresolvableGrantByEmailAddress",
        "The email address you provided does not match any account on record.",
        where);
  }

  /** An AccessControlPolicy document; MalformedACLError when it is not one. */
  static AccessControlList documentAcl(String body, String owner) {
    S3Xml.Node root;
    try {
      root = S3Xml.tree(body);
    } catch (RuntimeException e) {
      throw malformedAcl(e.getMessage());
    }
    if (!root.name().equals("AccessControlPolicy")) {
      throw malformedAcl("the root element must be AccessControlPolicy");
    }
    S3Xml.Node ownerNode = one(root, "Owner");
    String ownerId = ownerNode == null ? null : ownerNode.text("ID");
    if (ownerId == null || ownerId.isEmpty()) {
      throw malformedAcl("Owner/ID is required");
    }
    if (!ownerId.equals(owner)) {
      throw S3AccessGate.denied();
    }
    S3Xml.Node list = one(root, "AccessControlList");
    List<Grant> grants = new ArrayList<>();
    for (S3Xml.Node grant : list == null ? List.<S3Xml.Node>of() : list.all("Grant")) {
      S3Xml.Node granteeNode = one(grant, "Grantee");
      String permissionName = grant.text("Permission");
      Permission permission = permissionName == null ? null : Permission.of(permissionName);
      if (granteeNode == null || permission == null) {
        throw malformedAcl("each Grant needs a Grantee and a Permission");
      }
      String id = granteeNode.text("ID");
      String uri = granteeNode.text("URI");
      Grantee grantee;
      if (id != null && !id.isEmpty()) {
        grantee = Grantee.user(id);
      } else if (uri != null) {
        if (!Grantee.knownGroup(uri)) {
          throw S3ErrorCode.INVALID_ARGUMENT.error("Invalid group uri", uri);
        }
        grantee = Grantee.group(uri);
      } else if (granteeNode.text("EmailAddress") != null) {
        throw unresolvableEmail(granteeNode.text("EmailAddress"));
      } else {
        throw malformedAcl("a Grantee needs an ID or a URI");
      }
      grants.add(new Grant(grantee, permission));
    }
    return new AccessControlList(owner, grants);
  }

  private static S3Xml.Node one(S3Xml.Node node, String child) {
    try {
      return node.one(child);
    } catch (RuntimeException e) {
      throw malformedAcl(e.getMessage());
    }
  }

  private static RuntimeException malformedAcl(String details) {
    return StorageErrors.of(
        ErrorKind.BAD_REQUEST,
        "MalformedACLError",
        "The XML you provided was not well-formed or did not validate against our published"
            + " schema",
        details);
  }
}
