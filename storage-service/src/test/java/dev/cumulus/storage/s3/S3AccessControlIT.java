package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import dev.cumulus.storage.bucket.application.BucketService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * S3 access control with the AWS SDK v2: the instance namespace ({@code /s3/i/<tenant>/<service>})
 * that anonymous requests and other instances' keys reach a bucket by, Object Ownership, canned and
 * granted ACLs, bucket policies with conditions (an explicit Deny winning), PublicAccessBlock, and
 * the seed API's {@code publicAccess} honoured on the S3 side: each allowed and denied case for the
 * owner, another instance and an anonymous caller, with S3's exact status and code.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3AccessControlIT {

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3access");
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;
  @Autowired BucketService buckets;

  String tenant;
  String service;
  String otherService;

  /** The owner, on the plain endpoint. */
  S3Client owner;

  /** The owner, in its own namespace. */
  S3Client ownerThere;

  /** Another instance's key (another tenant), in the owner's namespace. */
  S3Client other;

  /** No credentials, in the owner's namespace. */
  S3Client anonymous;

  @BeforeEach
  void instances() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    owner =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "acl-it", UrlConnectionHttpClient.create());
    String ownerKey = S3TestClients.newKey(tenant, service);
    otherService = UUID.randomUUID().toString();
    String otherTenant = "t-" + UUID.randomUUID();
    instances
        .created(otherService, "s3storage", otherTenant, "other")
        .block(Duration.ofSeconds(10));
    String otherKey = S3TestClients.newKey(otherTenant, otherService);
    ownerThere =
        S3TestClients.builder(port, ownerKey, S3TestClients.secret(ownerKey))
            .endpointOverride(namespace())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    other =
        S3TestClients.builder(port, otherKey, S3TestClients.secret(otherKey))
            .endpointOverride(namespace())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    anonymous =
        S3Client.builder()
            .endpointOverride(namespace())
            .region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  URI namespace() {
    return URI.create(S3TestClients.endpoint(port) + "/i/" + tenant + "/" + service);
  }

  void put(S3Client client, String bucket, String key, ObjectCannedACL acl) {
    client.putObject(b -> b.bucket(bucket).key(key).acl(acl), RequestBody.fromString(key));
  }

  String get(S3Client client, String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  void aclBucket(String bucket) {
    owner.createBucket(b -> b.bucket(bucket).objectOwnership(ObjectOwnership.OBJECT_WRITER));
  }

  @Test
  void aBucketIsPrivateToItsInstanceUntilItsOwnerSaysOtherwise() {
    owner.createBucket(b -> b.bucket("private"));
    put(owner, "private", "k", null);

    assertThat(get(ownerThere, "private", "k")).isEqualTo("k");
    assertS3Error(() -> get(other, "private", "k"), 403, "AccessDenied");
    assertS3Error(() -> get(anonymous, "private", "k"), 403, "AccessDenied");
    assertS3Error(() -> anonymous.listObjectsV2(b -> b.bucket("private")), 403, "AccessDenied");
    assertS3Error(
        () -> other.putObject(b -> b.bucket("private").key("x"), RequestBody.fromString("x")),
        403,
        "AccessDenied");
    assertS3Error(() -> other.createBucket(b -> b.bucket("planted")), 403, "AccessDenied");
    assertS3Error(() -> anonymous.listBuckets(), 403, "AccessDenied");
    assertS3Error(() -> get(anonymous, "missing", "k"), 404, "NoSuchBucket");
    assertS3Error(() -> other.getBucketPolicy(b -> b.bucket("private")), 403, "AccessDenied");
  }

  @Test
  void aclsAreRefusedUnderBucketOwnerEnforcedAsAwsRefusesThem() {
    owner.createBucket(b -> b.bucket("enforced"));
    assertThat(
            owner
                .getBucketOwnershipControls(b -> b.bucket("enforced"))
                .ownershipControls()
                .rules()
                .get(0)
                .objectOwnership())
        .isEqualTo(ObjectOwnership.BUCKET_OWNER_ENFORCED);
    assertS3Error(
        () -> owner.putBucketAcl(b -> b.bucket("enforced").acl(BucketCannedACL.PUBLIC_READ)),
        400,
        "AccessControlListNotSupported");
    assertS3Error(
        () -> put(owner, "enforced", "k", ObjectCannedACL.PUBLIC_READ),
        400,
        "AccessControlListNotSupported");
    // The owner-only ACL is accepted, and ACLs can still be read.
    put(owner, "enforced", "k", ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL);
    owner.putBucketAcl(b -> b.bucket("enforced").acl(BucketCannedACL.PRIVATE));
    var acl = owner.getObjectAcl(b -> b.bucket("enforced").key("k"));
    assertThat(acl.owner().id()).isEqualTo(service);
    assertThat(acl.grants()).hasSize(1);
    assertThat(acl.grants().get(0).permission()).isEqualTo(Permission.FULL_CONTROL);
    assertS3Error(
        () -> owner.createBucket(b -> b.bucket("no-acls").acl(BucketCannedACL.PUBLIC_READ)),
        400,
        "InvalidBucketAclWithObjectOwnership");
    owner.createBucket(
        b ->
            b.bucket("with-acls")
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .acl(BucketCannedACL.PUBLIC_READ));
    assertThat(owner.getBucketAcl(b -> b.bucket("with-acls")).grants()).hasSize(2);
  }

  @Test
  void cannedAclsOpenObjectsAndBucketsToWhomTheyName() {
    aclBucket("acls");
    put(owner, "acls", "public", ObjectCannedACL.PUBLIC_READ);
    put(owner, "acls", "members", ObjectCannedACL.AUTHENTICATED_READ);
    put(owner, "acls", "private", null);

    assertThat(get(anonymous, "acls", "public")).isEqualTo("public");
    assertThat(get(other, "acls", "public")).isEqualTo("public");
    assertThat(anonymous.headObject(b -> b.bucket("acls").key("public")).contentLength())
        .isEqualTo(6);
    assertS3Error(() -> get(anonymous, "acls", "members"), 403, "AccessDenied");
    assertThat(get(other, "acls", "members")).isEqualTo("members");
    assertS3Error(() -> get(other, "acls", "private"), 403, "AccessDenied");
    assertS3Error(() -> get(anonymous, "acls", "missing"), 403, "AccessDenied");
    // An object's ACL does not open its bucket, nor let anyone change the ACL.
    assertS3Error(() -> anonymous.listObjectsV2(b -> b.bucket("acls")), 403, "AccessDenied");
    assertS3Error(
        () -> other.putObjectAcl(b -> b.bucket("acls").key("public").acl(ObjectCannedACL.PRIVATE)),
        403,
        "AccessDenied");

    var grants = owner.getObjectAcl(b -> b.bucket("acls").key("public")).grants();
    assertThat(grants)
        .anySatisfy(
            g -> {
              assertThat(g.grantee().type()).isEqualTo(Type.GROUP);
              assertThat(g.grantee().uri())
                  .isEqualTo("http://acs.amazonaws.com/groups/global/AllUsers");
              assertThat(g.permission()).isEqualTo(Permission.READ);
            });

    // Overwritten without an ACL, an object is private again.
    put(owner, "acls", "public", null);
    assertS3Error(() -> get(anonymous, "acls", "public"), 403, "AccessDenied");

    // The bucket's ACL: public-read lists, public-read-write writes.
    owner.putBucketAcl(b -> b.bucket("acls").acl(BucketCannedACL.PUBLIC_READ));
    assertThat(anonymous.listObjectsV2(b -> b.bucket("acls")).keyCount()).isEqualTo(3);
    assertS3Error(() -> put(anonymous, "acls", "dropped", null), 403, "AccessDenied");
    owner.putBucketAcl(b -> b.bucket("acls").acl(BucketCannedACL.PUBLIC_READ_WRITE));
    put(anonymous, "acls", "dropped", null);
    assertThat(get(owner, "acls", "dropped")).isEqualTo("dropped");
    assertThat(
            owner.getBucketAcl(b -> b.bucket("acls")).grants().stream()
                .filter(g -> g.grantee().type() == Type.GROUP)
                .map(g -> g.permission()))
        .containsExactlyInAnyOrder(Permission.READ, Permission.WRITE);
  }

  @Test
  void grantsNameOtherInstancesByTheirCanonicalIds() {
    aclBucket("grants");
    owner.putObject(
        b -> b.bucket("grants").key("shared").grantRead("id=\"" + otherService + "\""),
        RequestBody.fromString("shared"));
    assertThat(get(other, "grants", "shared")).isEqualTo("shared");
    assertS3Error(() -> get(anonymous, "grants", "shared"), 403, "AccessDenied");

    put(owner, "grants", "later", null);
    assertS3Error(() -> get(other, "grants", "later"), 403, "AccessDenied");
    owner.putObjectAcl(
        b ->
            b.bucket("grants")
                .key("later")
                .accessControlPolicy(
                    p ->
                        p.owner(o -> o.id(service))
                            .grants(
                                g ->
                                    g.grantee(e -> e.type(Type.CANONICAL_USER).id(otherService))
                                        .permission(Permission.READ))));
    assertThat(get(other, "grants", "later")).isEqualTo("later");
    assertThat(owner.getObjectAcl(b -> b.bucket("grants").key("later")).grants())
        .anySatisfy(g -> assertThat(g.grantee().id()).isEqualTo(otherService));

    assertS3Error(
        () ->
            owner.putObject(
                b ->
                    b.bucket("grants")
                        .key("both")
                        .acl(ObjectCannedACL.PUBLIC_READ)
                        .grantRead("id=\"" + otherService + "\""),
                RequestBody.fromString("x")),
        400,
        "InvalidRequest");
    assertS3Error(
        () ->
            owner.putObject(
                b -> b.bucket("grants").key("bad").grantRead("nobody"),
                RequestBody.fromString("x")),
        400,
        "InvalidArgument");
  }

  @Test
  void copiesAndMultipartUploadsTakeTheAclTheyAskFor() {
    aclBucket("writes");
    put(owner, "writes", "source", null);
    owner.copyObject(
        b ->
            b.sourceBucket("writes")
                .sourceKey("source")
                .destinationBucket("writes")
                .destinationKey("copy")
                .acl(ObjectCannedACL.PUBLIC_READ));
    assertThat(get(anonymous, "writes", "copy")).isEqualTo("source");
    assertS3Error(() -> get(anonymous, "writes", "source"), 403, "AccessDenied");

    String uploadId =
        owner
            .createMultipartUpload(
                b -> b.bucket("writes").key("big").acl(ObjectCannedACL.PUBLIC_READ))
            .uploadId();
    String etag =
        owner
            .uploadPart(
                b -> b.bucket("writes").key("big").uploadId(uploadId).partNumber(1),
                RequestBody.fromString("assembled"))
            .eTag();
    assertS3Error(() -> get(anonymous, "writes", "big"), 403, "AccessDenied");
    owner.completeMultipartUpload(
        b ->
            b.bucket("writes")
                .key("big")
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    assertThat(get(anonymous, "writes", "big")).isEqualTo("assembled");

    // An AccessControlPolicy without its Owner is no ACL.
    assertS3Error(
        () ->
            owner.putObjectAcl(
                b ->
                    b.bucket("writes")
                        .key("big")
                        .accessControlPolicy(
                            p ->
                                p.grants(
                                    g ->
                                        g.grantee(e -> e.type(Type.CANONICAL_USER).id("x"))
                                            .permission(Permission.READ)))),
        400,
        "MalformedACLError");
  }

  @Test
  void aBucketPolicyAllowsAndAnExplicitDenyWinsForEveryoneIncludingTheOwner() {
    owner.createBucket(b -> b.bucket("policed"));
    put(owner, "policed", "public/a", null);
    put(owner, "policed", "public/secret", null);
    put(owner, "policed", "private/b", null);
    assertS3Error(() -> owner.getBucketPolicy(b -> b.bucket("policed")), 404, "NoSuchBucketPolicy");
    assertS3Error(
        () -> owner.getBucketPolicyStatus(b -> b.bucket("policed")), 404, "NoSuchBucketPolicy");

    String policy =
        """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"read","Effect":"Allow","Principal":"*","Action":"s3:GetObject",
           "Resource":"arn:aws:s3:::policed/public/*"},
          {"Sid":"list","Effect":"Allow","Principal":{"AWS":"%s"},"Action":"s3:ListBucket",
           "Resource":"arn:aws:s3:::policed","Condition":{"StringLike":{"s3:prefix":"public/*"}}},
          {"Sid":"secret","Effect":"Deny","Principal":"*","Action":"s3:GetObject",
           "Resource":"arn:aws:s3:::policed/public/secret"}]}
        """
            .formatted(otherService);
    owner.putBucketPolicy(b -> b.bucket("policed").policy(policy));
    assertThat(owner.getBucketPolicy(b -> b.bucket("policed")).policy()).isEqualTo(policy);
    assertThat(owner.getBucketPolicyStatus(b -> b.bucket("policed")).policyStatus().isPublic())
        .isTrue();

    assertThat(get(anonymous, "policed", "public/a")).isEqualTo("public/a");
    assertS3Error(() -> get(anonymous, "policed", "private/b"), 403, "AccessDenied");
    assertS3Error(() -> get(anonymous, "policed", "public/secret"), 403, "AccessDenied");
    assertS3Error(() -> get(owner, "policed", "public/secret"), 403, "AccessDenied");
    assertThat(get(owner, "policed", "private/b")).isEqualTo("private/b");
    assertThat(other.listObjectsV2(b -> b.bucket("policed").prefix("public/")).keyCount())
        .isEqualTo(2);
    assertS3Error(
        () -> other.listObjectsV2(b -> b.bucket("policed").prefix("private/")),
        403,
        "AccessDenied");
    assertS3Error(() -> anonymous.listObjectsV2(b -> b.bucket("policed")), 403, "AccessDenied");
    // A copy reads its source: a caller cannot copy what it cannot read.
    assertS3Error(
        () ->
            other.copyObject(
                b ->
                    b.sourceBucket("policed")
                        .sourceKey("private/b")
                        .destinationBucket("policed")
                        .destinationKey("public/b")),
        403,
        "AccessDenied");

    // The owner can always remove the policy that denies it.
    owner.deleteBucketPolicy(b -> b.bucket("policed"));
    assertThat(get(owner, "policed", "public/secret")).isEqualTo("public/secret");
    assertS3Error(() -> get(anonymous, "policed", "public/a"), 403, "AccessDenied");
  }

  @Test
  void policyConditionsSeeTheCallersAddressAndTransport() throws Exception {
    owner.createBucket(b -> b.bucket("conditions"));
    put(owner, "conditions", "k", null);
    owner.putBucketPolicy(
        b ->
            b.bucket("conditions")
                .policy(
                    """
                    {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                      "Resource":"arn:aws:s3:::conditions/*",
                      "Condition":{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}}]}
                    """));
    assertThat(get(anonymous, "conditions", "k")).isEqualTo("k");
    assertThat(owner.getBucketPolicyStatus(b -> b.bucket("conditions")).policyStatus().isPublic())
        .as("pinned to an address range")
        .isFalse();
    owner.putBucketPolicy(
        b ->
            b.bucket("conditions")
                .policy(
                    """
                    {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                      "Resource":"arn:aws:s3:::conditions/*",
                      "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}
                    """));
    assertS3Error(() -> get(anonymous, "conditions", "k"), 403, "AccessDenied");
    // Behind a trusted proxy (the gateway; loopback here) that terminated TLS, it holds.
    HttpResponse<String> viaTls =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(namespace() + "/conditions/k"))
                    .header("X-Forwarded-Proto", "https")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(viaTls.statusCode()).as(viaTls.body()).isEqualTo(200);
  }

  @Test
  void malformedPoliciesAreRefusedAsMalformedPolicy() {
    owner.createBucket(b -> b.bucket("malformed"));
    for (String bad :
        new String[] {
          "{not json",
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
              + "\"Resource\":\"arn:aws:s3:::another-bucket/*\"}]}",
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\"}]}",
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
              + "\"Resource\":\"arn:aws:s3:::malformed/*\","
              + "\"Condition\":{\"StringEqualz\":{\"s3:prefix\":\"a\"}}}]}",
          "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
              + "\"Resource\":\"arn:aws:s3:::malformed/"
              + "x".repeat(21 * 1024)
              + "\"}]}"
        }) {
      assertS3Error(
          () -> owner.putBucketPolicy(b -> b.bucket("malformed").policy(bad)),
          400,
          "MalformedPolicy");
    }
    assertS3Error(
        () -> owner.getBucketPolicy(b -> b.bucket("malformed")), 404, "NoSuchBucketPolicy");
  }

  @Test
  void publicAccessBlockRefusesAndIgnoresPublicAclsAndPolicies() {
    aclBucket("blocked");
    put(owner, "blocked", "open", ObjectCannedACL.PUBLIC_READ);
    assertThat(get(anonymous, "blocked", "open")).isEqualTo("open");
    assertS3Error(
        () -> owner.getPublicAccessBlock(b -> b.bucket("blocked")),
        404,
        "NoSuchPublicAccessBlockConfiguration");

    owner.putPublicAccessBlock(
        b ->
            b.bucket("blocked")
                .publicAccessBlockConfiguration(
                    c -> c.blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true)));
    var config =
        owner.getPublicAccessBlock(b -> b.bucket("blocked")).publicAccessBlockConfiguration();
    assertThat(config.blockPublicAcls()).isTrue();
    assertThat(config.ignorePublicAcls()).isTrue();
    assertThat(config.blockPublicPolicy()).isTrue();
    assertThat(config.restrictPublicBuckets()).isFalse();

    assertS3Error(() -> get(anonymous, "blocked", "open"), 403, "AccessDenied");
    assertS3Error(
        () -> put(owner, "blocked", "more", ObjectCannedACL.PUBLIC_READ), 403, "AccessDenied");
    assertS3Error(
        () -> owner.putBucketAcl(b -> b.bucket("blocked").acl(BucketCannedACL.PUBLIC_READ)),
        403,
        "AccessDenied");
    String publicPolicy =
        """
        {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
          "Resource":"arn:aws:s3:::blocked/*"}]}
        """;
    assertS3Error(
        () -> owner.putBucketPolicy(b -> b.bucket("blocked").policy(publicPolicy)),
        403,
        "AccessDenied");

    // RestrictPublicBuckets: a public policy put before it no longer lets anyone in.
    owner.putPublicAccessBlock(
        b -> b.bucket("blocked").publicAccessBlockConfiguration(c -> c.blockPublicAcls(false)));
    owner.putBucketPolicy(b -> b.bucket("blocked").policy(publicPolicy));
    assertThat(get(anonymous, "blocked", "open")).isEqualTo("open");
    owner.putPublicAccessBlock(
        b ->
            b.bucket("blocked").publicAccessBlockConfiguration(c -> c.restrictPublicBuckets(true)));
    put(owner, "blocked", "by-policy", null);
    assertS3Error(() -> get(anonymous, "blocked", "by-policy"), 403, "AccessDenied");
    // ...while a public ACL still counts (IgnorePublicAcls is off again).
    assertThat(get(anonymous, "blocked", "open")).isEqualTo("open");

    owner.deletePublicAccessBlock(b -> b.bucket("blocked"));
    assertS3Error(
        () -> owner.getPublicAccessBlock(b -> b.bucket("blocked")),
        404,
        "NoSuchPublicAccessBlockConfiguration");
    assertThat(get(anonymous, "blocked", "by-policy")).isEqualTo("by-policy");
  }

  @Test
  void theSeedApisPublicBucketsAreReadableAnonymouslyOverS3() throws Exception {
    var instance = instances.require(tenant, service).block(Duration.ofSeconds(10));
    buckets
        .create(instance, new BucketService.NewBucket("site", false, false, true))
        .block(Duration.ofSeconds(10));
    put(owner, "site", "index.html", null);
    assertThat(get(anonymous, "site", "index.html")).isEqualTo("index.html");
    assertS3Error(() -> anonymous.listObjectsV2(b -> b.bucket("site")), 403, "AccessDenied");
    assertS3Error(() -> put(anonymous, "site", "x", null), 403, "AccessDenied");
    // A plain unsigned GET (curl, a browser) works as well.
    HttpResponse<String> plain =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(namespace() + "/site/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body()).isEqualTo("index.html");
    // A name no bucket can have is refused (by the HTTP layer or the access decision), never 500.
    HttpResponse<String> nul =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(namespace() + "/si%00te/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(nul.statusCode()).as(nul.body()).isIn(400, 403);
    // Outside a namespace an unsigned request is still refused.
    HttpResponse<String> unsigned =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(S3TestClients.endpoint(port) + "/site/index.html"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("<Code>AccessDenied</Code>");
  }

  /** boto3, as a Python user would write it: a public-read object read without credentials. */
  @Test
  void boto3SetsAclsAndReadsAnonymously() throws Exception {
    S3TestClients.assumeBoto3();
    String script =
        """
        import os, boto3, botocore
        from botocore import UNSIGNED
        cfg = botocore.config.Config(s3={"addressing_style": "path"})
        s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
            aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"],
            config=cfg)
        anon = boto3.client("s3", endpoint_url=os.environ["NAMESPACE"], region_name="us-east-1",
            config=botocore.config.Config(signature_version=UNSIGNED,
                                          s3={"addressing_style": "path"}))
        s3.create_bucket(Bucket="boto-acl", ObjectOwnership="BucketOwnerPreferred")
        s3.put_object(Bucket="boto-acl", Key="pub", Body=b"hello", ACL="public-read")
        s3.put_object(Bucket="boto-acl", Key="priv", Body=b"secret")
        print(anon.get_object(Bucket="boto-acl", Key="pub")["Body"].read().decode())
        try:
            anon.get_object(Bucket="boto-acl", Key="priv")
            print("read")
        except botocore.exceptions.ClientError as e:
            print(e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
        print(s3.get_bucket_ownership_controls(Bucket="boto-acl")
              ["OwnershipControls"]["Rules"][0]["ObjectOwnership"])
        """;
    Map<String, String> environment =
        new HashMap<>(S3TestClients.boto3Environment(port, tenant, service));
    environment.put("NAMESPACE", namespace().toString());
    String output = S3TestClients.python(script, environment);
    assertThat(output.lines()).containsExactly("hello", "AccessDenied 403", "BucketOwnerPreferred");
  }

  /** x-amz-expected-bucket-owner: the bucket's owner is its instance (canonical id: service id). */
  @Test
  void expectedBucketOwnerMustNameTheBucketsInstance() {
    aclBucket("expected");
    put(owner, "expected", "k", null);

    owner.headBucket(b -> b.bucket("expected").expectedBucketOwner(service));
    assertThat(
            owner
                .getObjectAsBytes(b -> b.bucket("expected").key("k").expectedBucketOwner(service))
                .asUtf8String())
        .isEqualTo("k");
    assertThat(
            owner.listObjectsV2(b -> b.bucket("expected").expectedBucketOwner(service)).keyCount())
        .isEqualTo(1);
    owner.copyObject(
        b ->
            b.sourceBucket("expected")
                .sourceKey("k")
                .destinationBucket("expected")
                .destinationKey("copy")
                .expectedBucketOwner(service)
                .expectedSourceBucketOwner(service));

    assertS3Error(
        () -> owner.headBucket(b -> b.bucket("expected").expectedBucketOwner(otherService)),
        403,
        null);
    assertS3Error(
        () -> owner.getObject(b -> b.bucket("expected").key("k").expectedBucketOwner(otherService)),
        403,
        "AccessDenied");
    assertS3Error(
        () ->
            owner.putObject(
                b -> b.bucket("expected").key("new").expectedBucketOwner("123456789012"),
                RequestBody.fromString("new")),
        403,
        "AccessDenied");
    assertS3Error(
        () ->
            owner.deleteObject(
                b -> b.bucket("expected").key("k").expectedBucketOwner(otherService)),
        403,
        "AccessDenied");
    assertS3Error(
        () -> owner.getBucketAcl(b -> b.bucket("expected").expectedBucketOwner(otherService)),
        403,
        "AccessDenied");
    assertS3Error(
        () ->
            owner.copyObject(
                b ->
                    b.sourceBucket("expected")
                        .sourceKey("k")
                        .destinationBucket("expected")
                        .destinationKey("copy2")
                        .expectedSourceBucketOwner(otherService)),
        403,
        "AccessDenied");
    // Nothing the refused calls asked for happened.
    assertThat(get(owner, "expected", "k")).isEqualTo("k");
    assertS3Error(() -> get(owner, "expected", "new"), 404, "NoSuchKey");
    assertS3Error(() -> get(owner, "expected", "copy2"), 404, "NoSuchKey");

    // Another instance names the bucket's owner, not itself.
    owner.putBucketAcl(b -> b.bucket("expected").acl(BucketCannedACL.PUBLIC_READ));
    assertS3Error(
        () -> other.listObjectsV2(b -> b.bucket("expected").expectedBucketOwner(otherService)),
        403,
        "AccessDenied");
  }

  /** ListObjectsV2 gives each object's Owner only with fetch-owner=true; ListObjects always. */
  @Test
  void listingsShowOwnersAsS3Does() {
    owner.createBucket(b -> b.bucket("owners"));
    put(owner, "owners", "k", null);

    assertThat(owner.listObjectsV2(b -> b.bucket("owners")).contents().get(0).owner()).isNull();
    var fetched =
        owner.listObjectsV2(b -> b.bucket("owners").fetchOwner(true)).contents().get(0).owner();
    assertThat(fetched.id()).isEqualTo(service);
    assertThat(fetched.displayName()).isNotBlank();
    assertThat(owner.listObjects(b -> b.bucket("owners")).contents().get(0).owner().id())
        .isEqualTo(service);
  }
}
