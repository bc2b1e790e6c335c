package dev.cumulus.storage.s3.web;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.storage.access.application.AccessService;
import dev.cumulus.storage.access.domain.BucketPolicy;
import dev.cumulus.storage.access.domain.ObjectOwnership;
import dev.cumulus.storage.access.domain.PolicyException;
import dev.cumulus.storage.access.domain.PublicAccessBlock;
import dev.cumulus.storage.common.StorageErrors;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A bucket's policy (Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus), PublicAccessBlock
 * (Put/Get/DeletePublicAccessBlock) and Object Ownership (Put/Get/DeleteBucketOwnershipControls).
 * Only the bucket's own instance reaches these ({@link S3AccessGate}).
 */
class S3PolicyOperations {

  private static final int MAX_XML_BYTES = 16 * 1024;

  private final AccessService access;

  S3PolicyOperations(AccessService access) {
    this.access = access;
  }

  Mono<ServerResponse> getPolicy(S3Call call) {
    return policyOf(call)
        .flatMap(
            policy ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(policy.json()));
  }

  Mono<ServerResponse> getPolicyStatus(S3Call call) {
    return policyOf(call)
        .flatMap(
            policy ->
                xml(
                    S3Xml.document("PolicyStatus")
                        .element("IsPublic", policy.isPublic())
                        .end("PolicyStatus")));
  }

  Mono<ServerResponse> putPolicy(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket ->
                call.xmlBody(BucketPolicy.MAX_BYTES + 1)
                    .onErrorMap(
                        S3ErrorCode.MALFORMED_XML::is,
                        e -> malformedPolicy("Policies must be no larger than 20 KB"))
                    .map(json -> compile(json, call.bucket()))
                    .flatMap(
                        policy -> {
                          if (bucket.block().blockPublicPolicy() && policy.isPublic()) {
                            return Mono.error(S3AccessGate.denied());
                          }
                          return access.setPolicy(call.instance(), bucket, policy);
                        }))
        .then(ServerResponse.noContent().build());
  }

  Mono<ServerResponse> deletePolicy(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> access.setPolicy(call.instance(), bucket, null))
        .then(ServerResponse.noContent().build());
  }

  private Mono<BucketPolicy> policyOf(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> Mono.justOrEmpty(bucket.policy()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    StorageErrors.of(
                        ErrorKind.NOT_FOUND,
                        "NoSuchBucketPolicy",
                        "The bucket policy does not exist",
                        null)));
  }

  private static BucketPolicy compile(String json, String bucket) {
    if (json.isBlank()) {
      throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
    }
    try {
      return BucketPolicy.parse(json, bucket);
    } catch (PolicyException e) {
      throw malformedPolicy(e.getMessage());
    }
  }

  private static RuntimeException malformedPolicy(String message) {
    return StorageErrors.of(ErrorKind.BAD_REQUEST, "MalformedPolicy", message, null);
  }

  Mono<ServerResponse> getPublicAccessBlock(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> Mono.justOrEmpty(bucket.publicAccessBlock()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    StorageErrors.of(
                        ErrorKind.NOT_FOUND,
                        "NoSuchPublicAccessBlockConfiguration",
                        "The public access block configuration was not found",
                        null)))
        .flatMap(
            block ->
                xml(
                    S3Xml.document("PublicAccessBlockConfiguration")
                        .element("BlockPublicAcls", block.blockPublicAcls())
                        .element("IgnorePublicAcls", block.ignorePublicAcls())
                        .element("BlockPublicPolicy", block.blockPublicPolicy())
                        .element("RestrictPublicBuckets", block.restrictPublicBuckets())
                        .end("PublicAccessBlockConfiguration")));
  }

  Mono<ServerResponse> putPublicAccessBlock(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket ->
                call.xmlBody(MAX_XML_BYTES)
                    .map(S3PolicyOperations::publicAccessBlock)
                    .flatMap(block -> access.setPublicAccessBlock(call.instance(), bucket, block)))
        .then(ServerResponse.ok().build());
  }

  Mono<ServerResponse> deletePublicAccessBlock(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> access.setPublicAccessBlock(call.instance(), bucket, null))
        .then(ServerResponse.noContent().build());
  }

  static PublicAccessBlock publicAccessBlock(String body) {
    S3Xml.Node root = S3Xml.tree(body);
    if (!root.name().equals("PublicAccessBlockConfiguration")) {
      throw S3Xml.malformed("the root element must be PublicAccessBlockConfiguration");
    }
    return new PublicAccessBlock(
        flag(root, "BlockPublicAcls"),
        flag(root, "IgnorePublicAcls"),
        flag(root, "BlockPublicPolicy"),
        flag(root, "RestrictPublicBuckets"));
  }

  private static boolean flag(S3Xml.Node root, String name) {
    String value = root.text(name);
    if (value == null) {
      return false;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw S3Xml.malformed(name + " must be true or false");
    }
    return value.equals("true");
  }

  Mono<ServerResponse> getOwnershipControls(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> Mono.justOrEmpty(bucket.ownership()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    StorageErrors.of(
                        ErrorKind.NOT_FOUND,
                        "OwnershipControlsNotFoundError",
                        "The bucket ownership controls were not found",
                        null)))
        .flatMap(
            ownership ->
                xml(
                    S3Xml.document("OwnershipControls")
                        .open("Rule")
                        .element("ObjectOwnership", ownership.value())
                        .close("Rule")
                        .end("OwnershipControls")));
  }

  Mono<ServerResponse> putOwnershipControls(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(
            bucket ->
                call.xmlBody(MAX_XML_BYTES)
                    .map(S3PolicyOperations::ownership)
                    .flatMap(o -> access.setOwnership(call.instance(), bucket, o)))
        .then(ServerResponse.ok().build());
  }

  Mono<ServerResponse> deleteOwnershipControls(S3Call call) {
    return access
        .require(call.instance(), call.bucket())
        .flatMap(bucket -> access.setOwnership(call.instance(), bucket, null))
        .then(ServerResponse.noContent().build());
  }

  static ObjectOwnership ownership(String body) {
    S3Xml.Node root = S3Xml.tree(body);
    S3Xml.Node rule = root.name().equals("OwnershipControls") ? root.one("Rule") : null;
    if (rule == null || root.all("Rule").size() != 1) {
      throw S3Xml.malformed("OwnershipControls needs exactly one Rule");
    }
    String value = rule.text("ObjectOwnership");
    ObjectOwnership ownership = value == null ? null : ObjectOwnership.of(value);
    if (ownership == null) {
      throw S3Xml.malformed("ObjectOwnership: " + value);
    }
    return ownership;
  }

  private static Mono<ServerResponse> xml(String body) {
    return ServerResponse.ok().contentType(MediaType.APPLICATION_XML).bodyValue(body);
  }
}
