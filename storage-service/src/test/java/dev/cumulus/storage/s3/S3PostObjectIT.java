package dev.cumulus.storage.s3;

import static dev.cumulus.storage.s3.S3TestClients.assertS3Error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.storage.StorageApplication;
import dev.cumulus.storage.StorageTestProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * POST Object (browser-based uploads): forms whose fields and SigV4 POST policy boto3's {@code
 * generate_presigned_post} made, posted as a browser would (a multipart body built here from
 * boto3's fields), on the plain endpoint and in an instance's namespace; every policy error with
 * S3's status, code and message, and nothing stored when refused; the result read back with the AWS
 * SDK v2.
 */
@SpringBootTest(
    classes = {StorageApplication.class, S3TestClients.Keys.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3PostObjectIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** boto3's presigned POST for the bucket, key, extra fields and conditions it is given. */
  private static final String PRESIGN =
      """
      import json, os, boto3, botocore
      cfg = botocore.config.Config(s3={"addressing_style": "path"}, signature_version="s3v4")
      s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1",
          aws_access_key_id=os.environ["KEY"], aws_secret_access_key=os.environ["SECRET"],
          config=cfg)
      print(json.dumps(s3.generate_presigned_post(os.environ["BUCKET"], os.environ["OBJECT"],
          Fields=json.loads(os.environ["FIELDS"]), Conditions=json.loads(os.environ["CONDITIONS"]),
          ExpiresIn=int(os.environ["EXPIRES"]))))
      """;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws IOException {
    StorageTestProperties.register(registry, "s3post");
  }

  @BeforeAll
  static void boto3() throws Exception {
    S3TestClients.assumeBoto3();
  }

  @LocalServerPort int port;
  @Autowired InstanceRegistry instances;

  final HttpClient http = HttpClient.newHttpClient();
  String tenant;
  String service;
  String ownerKey;
  String otherKey;
  S3Client owner;

  @BeforeEach
  void instances() {
    tenant = "t-" + UUID.randomUUID();
    service = UUID.randomUUID().toString();
    owner =
        S3TestClients.clientForNewInstance(
            instances, port, tenant, service, "post-it", UrlConnectionHttpClient.create());
    ownerKey = S3TestClients.newKey(tenant, service);
    String otherService = UUID.randomUUID().toString();
    String otherTenant = "t-" + UUID.randomUUID();
    instances
        .created(otherService, "s3storage", otherTenant, "other")
        .block(Duration.ofSeconds(10));
    otherKey = S3TestClients.newKey(otherTenant, otherService);
  }

  String plain() {
    return S3TestClients.endpoint(port).toString();
  }

  String namespace() {
    return plain() + "/i/" + tenant + "/" + service;
  }

  /** A presigned POST: its URL and its fields, in boto3's order. */
  record Presigned(String url, Map<String, String> fields) {

    Presigned with(String name, String value) {
      Map<String, String> changed = new LinkedHashMap<>(fields);
      changed.put(name, value);
      return new Presigned(url, changed);
    }

    Presigned without(String name) {
      Map<String, String> changed = new LinkedHashMap<>(fields);
      changed.remove(name);
      return new Presigned(url, changed);
    }
  }

  Presigned presign(
      String endpoint,
      String accessKey,
      String bucket,
      String key,
      String fields,
      String conditions,
      int expiresIn)
      throws Exception {
    String output =
        S3TestClients.python(
            PRESIGN,
            Map.of(
                "ENDPOINT", endpoint,
                "KEY", accessKey,
                "SECRET", S3TestClients.secret(accessKey),
                "BUCKET", bucket,
                "OBJECT", key,
                "FIELDS", fields,
                "CONDITIONS", conditions,
                "EXPIRES", Integer.toString(expiresIn)));
    JsonNode answer = JSON.readTree(output);
    Map<String, String> formFields = new LinkedHashMap<>();
    answer
        .get("fields")
        .properties()
        .forEach(e -> formFields.put(e.getKey(), e.getValue().asString()));
    return new Presigned(answer.get("url").asString(), formFields);
  }

  Presigned presign(String bucket, String key, String fields, String conditions) throws Exception {
    return presign(plain(), ownerKey, bucket, key, fields, conditions, 300);
  }

  /** The form as a browser sends it: the fields, then the file; cut short when asked. */
  static byte[] form(
      String boundary, Map<String, String> fields, String filename, byte[] file, boolean closed) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    fields.forEach(
        (name, value) ->
            body.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
    if (file != null) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                  + filename
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file);
    }
    if (closed) {
      // The file's content ends at the CRLF before the closing delimiter; a field's already did.
      String end = (file != null ? "\r\n" : "") + "--" + boundary + "--\r\n";
      body.writeBytes(end.getBytes(StandardCharsets.UTF_8));
    }
    return body.toByteArray();
  }

  HttpResponse<String> post(String url, Map<String, String> fields, String filename, byte[] file)
      throws Exception {
    return post(url, form("b0und4ry", fields, filename, file, true));
  }

  HttpResponse<String> post(Presigned presigned, String filename, byte[] file) throws Exception {
    return post(presigned.url(), presigned.fields(), filename, file);
  }

  HttpResponse<String> post(String url, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "multipart/form-data; boundary=b0und4ry")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertError(HttpResponse<String> response, int status, String code, String message) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains("<Code>" + code + "</Code>");
    if (message != null) {
      String xml =
          message
              .replace("&", "&amp;")
              .replace("<", "&lt;")
              .replace(">", "&gt;")
              .replace("\"", "&quot;")
              .replace("'", "&apos;");
      assertThat(response.body()).contains("<Message>" + xml + "</Message>");
    }
  }

  void assertAbsent(String bucket, String key) {
    assertS3Error(() -> owner.headObject(b -> b.bucket(bucket).key(key)), 404, null);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFormBoto3SignedStoresTheFileWithItsMetadataAndAnswersAsItAsks() throws Exception {
    owner.createBucket(b -> b.bucket("forms").objectOwnership(ObjectOwnership.OBJECT_WRITER));
    Presigned presigned =
        presign(
            "forms",
            "uploads/${filename}",
            """
            {"acl": "public-read", "Content-Type": "text/plain", "x-amz-meta-owner": "alice",
             "success_action_status": "201"}""",
            """
            [{"acl": "public-read"}, ["starts-with", "$Content-Type", "text/"],
             {"x-amz-meta-owner": "alice"}, {"success_action_status": "201"},
             ["content-length-range", 1, 1048576]]""");
    assertThat(presigned.url()).isEqualTo(plain() + "/forms");

    HttpResponse<String> created = post(presigned, "hello.txt", bytes("hello, form"));

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String etag = "\"" + S3TestClients.md5Hex(bytes("hello, form")) + "\"";
    assertThat(created.body())
        .contains("<PostResponse>")
        .contains("<Location>" + plain() + "/forms/uploads/hello.txt</Location>")
        .contains("<Bucket>forms</Bucket>")
        .contains("<Key>uploads/hello.txt</Key>")
        .contains("<ETag>" + etag.replace("\"", "&quot;") + "</ETag>");
    assertThat(created.headers().firstValue("ETag")).hasValue(etag);
    HeadObjectResponse head = owner.headObject(b -> b.bucket("forms").key("uploads/hello.txt"));
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(head.metadata()).containsEntry("owner", "alice");
    assertThat(head.contentLength()).isEqualTo(11);
    // acl=public-read: readable without credentials in the instance's namespace.
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(namespace() + "/forms/uploads/hello.txt")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("hello, form");
  }

  @Test
  void successActionStatusAndRedirectChooseTheAnswer() throws Exception {
    owner.createBucket(b -> b.bucket("answers"));
    HttpResponse<String> plainAnswer =
        post(presign("answers", "a", "{}", "[]"), "a.bin", bytes("a"));
    assertThat(plainAnswer.statusCode()).isEqualTo(204);
    assertThat(plainAnswer.body()).isEmpty();
    assertThat(plainAnswer.headers().firstValue("Location")).hasValue(plain() + "/answers/a");

    HttpResponse<String> ok =
        post(
            presign(
                "answers",
                "b",
                "{\"success_action_status\": \"200\"}",
                "[{\"success_action_status\": \"200\"}]"),
            "b.bin",
            bytes("b"));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEmpty();

    HttpResponse<String> redirected =
        post(
            presign(
                "answers",
                "c d",
                "{\"success_action_redirect\": \"https://app.example.com/done?x=1\"}",
                "[[\"starts-with\", \"$success_action_redirect\", \"https://app.example.com/\"]]"),
            "c.bin",
            bytes("c"));
    assertThat(redirected.statusCode()).isEqualTo(303);
    String location = redirected.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("https://app.example.com/done?x=1&");
    assertThat(URLDecoder.decode(location, StandardCharsets.UTF_8))
        .contains("bucket=answers")
        .contains("key=c d")
        .contains("etag=\"" + S3TestClients.md5Hex(bytes("c")) + "\"");
    assertThat(owner.getObjectAsBytes(b -> b.bucket("answers").key("c d")).asUtf8String())
        .isEqualTo("c");
  }

  @Test
  void everyPolicyErrorIsAnsweredAsS3AnswersItAndStoresNothing() throws Exception {
    owner.createBucket(b -> b.bucket("strict"));
    Presigned images =
        presign(
            "strict",
            "photo",
            "{\"Content-Type\": \"image/png\"}",
            "[[\"starts-with\", \"$Content-Type\", \"image/\"], [\"content-length-range\", 2, 8]]");

    assertError(
        post(images.with("Content-Type", "text/html"), "p", bytes("1234")),
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"starts-with\","
            + " \"$Content-Type\", \"image/\"]");
    assertError(
        post(images.with("x-amz-meta-extra", "1"), "p", bytes("1234")),
        403,
        "AccessDenied",
        "Invalid according to Policy: Extra input fields: x-amz-meta-extra");
    HttpResponse<String> tooLarge = post(images, "p", bytes("123456789"));
    assertError(
        tooLarge, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    // The particulars as elements of their own, as S3 sends them (not in a Details text).
    assertThat(tooLarge.body())
        .contains("<ProposedSize>9</ProposedSize><MaxSizeAllowed>8</MaxSizeAllowed>")
        .doesNotContain("<Details>");
    HttpResponse<String> tooSmall = post(images, "p", bytes("1"));
    assertError(
        tooSmall,
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size");
    assertThat(tooSmall.body())
        .contains("<ProposedSize>1</ProposedSize><MinSizeAllowed>2</MinSizeAllowed>");
    assertError(
        post(images.with("key", "elsewhere"), "p", bytes("1234")),
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"photo\"]");
    String signature = images.fields().get("x-amz-signature");
    assertError(
        post(
            images.with("x-amz-signature", signature.substring(1) + signature.charAt(0)),
            "p",
            bytes("1234")),
        403,
        "SignatureDoesNotMatch",
        null);
    HttpResponse<String> unsigned = post(images.without("x-amz-signature"), "p", bytes("1234"));
    assertError(
        unsigned,
        400,
        "InvalidArgument",
        "Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please"
            + " check the order of the fields.");
    assertThat(unsigned.body())
        .contains("<ArgumentName>X-Amz-Signature</ArgumentName><ArgumentValue></ArgumentValue>");
    assertError(
        post(images.without("key"), "p", bytes("1234")),
        400,
        "InvalidArgument",
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the"
            + " order of the fields.");
    HttpResponse<String> noFile = post(images.url(), images.fields(), null, null);
    assertError(
        noFile, 400, "InvalidArgument", "POST requires exactly one file upload per request.");
    assertThat(noFile.body())
        .contains("<ArgumentName>file</ArgumentName><ArgumentValue>0</ArgumentValue>");
    Presigned expired = presign(plain(), ownerKey, "strict", "photo", "{}", "[]", -60);
    assertError(
        post(expired, "p", bytes("1234")),
        403,
        "AccessDenied",
        "Invalid according to Policy: Policy expired.");
    // A field this endpoint does not take is refused, never ignored.
    Presigned tagged =
        presign(
            "strict", "photo", "{\"tagging\": \"<Tagging/>\"}", "[{\"tagging\": \"<Tagging/>\"}]");
    assertError(post(tagged, "p", bytes("1234")), 501, "NotImplemented", null);
    assertAbsent("strict", "photo");

    HttpResponse<String> stored = post(images, "p", bytes("1234"));
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(204);
    assertThat(owner.headObject(b -> b.bucket("strict").key("photo")).contentType())
        .isEqualTo("image/png");
  }

  @Test
  void aFormCutShortIsMalformedAndStoresNothing() throws Exception {
    owner.createBucket(b -> b.bucket("cut"));
    Presigned presigned = presign("cut", "file", "{}", "[]");
    byte[] big = new byte[3 * 1024 * 1024];
    new java.util.Random(7).nextBytes(big);

    assertError(
        post(presigned.url(), form("b0und4ry", presigned.fields(), "f", big, false)),
        400,
        "MalformedPOSTRequest",
        "The body of your POST request is not well-formed multipart/form-data.");
    assertAbsent("cut", "file");
    HttpResponse<String> notAForm =
        http.send(
            HttpRequest.newBuilder(URI.create(presigned.url()))
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("no boundary"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertError(notAForm, 400, "MalformedPOSTRequest", null);
    String huge = "x".repeat(21 * 1024);
    assertError(
        post(presigned.with("x-ignore-padding", huge), "f", bytes("1")),
        400,
        "MaxPostPreDataLengthExceededError",
        null);

    // The whole file, streamed: 3 MiB arrive intact.
    HttpResponse<String> whole = post(presigned, "f", big);
    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(204);
    assertThat(owner.getObjectAsBytes(b -> b.bucket("cut").key("file")).asByteArray())
        .isEqualTo(big);
  }

  @Test
  void theSignerMustBeAllowedToPutObjectThere() throws Exception {
    owner.createBucket(b -> b.bucket("mine"));
    owner.createBucket(
        b ->
            b.bucket("dropbox")
                .objectOwnership(ObjectOwnership.OBJECT_WRITER)
                .acl(BucketCannedACL.PUBLIC_READ_WRITE));

    // The owner's key in its own namespace, as on the plain endpoint.
    Presigned ownerThere = presign(namespace(), ownerKey, "mine", "k", "{}", "[]", 300);
    assertThat(ownerThere.url()).isEqualTo(namespace() + "/mine");
    assertThat(post(ownerThere, "k", bytes("own")).statusCode()).isEqualTo(204);

    // Another instance's key: denied on a private bucket, allowed where the ACL lets anyone write.
    Presigned other = presign(namespace(), otherKey, "mine", "x", "{}", "[]", 300);
    assertError(post(other, "x", bytes("x")), 403, "AccessDenied", "Access Denied");
    assertAbsent("mine", "x");
    Presigned otherDrop = presign(namespace(), otherKey, "dropbox", "x", "{}", "[]", 300);
    assertThat(post(otherDrop, "x", bytes("dropped")).statusCode()).isEqualTo(204);
    assertThat(owner.getObjectAsBytes(b -> b.bucket("dropbox").key("x")).asUtf8String())
        .isEqualTo("dropped");

    // Unsigned forms: anonymous in the namespace, where only the public-write bucket takes them.
    Map<String, String> unsigned = Map.of("key", "anon");
    assertError(post(namespace() + "/mine", unsigned, "a", bytes("a")), 403, "AccessDenied", null);
    assertThat(post(namespace() + "/dropbox", unsigned, "a", bytes("a")).statusCode())
        .isEqualTo(204);
    assertError(post(plain() + "/dropbox", unsigned, "a", bytes("a")), 403, "AccessDenied", null);
    // A policy nobody signed.
    assertError(
        post(namespace() + "/dropbox", Map.of("key", "p", "policy", "e30="), "a", bytes("a")),
        403,
        "AccessDenied",
        null);

    // An explicit Deny in the bucket policy stops even the owner's signed form.
    owner.putBucketPolicy(
        b ->
            b.bucket("mine")
                .policy(
                    """
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
                     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::mine/locked/*"}]}"""));
    assertError(
        post(presign("mine", "locked/k", "{}", "[]"), "k", bytes("k")),
        403,
        "AccessDenied",
        "Access Denied");
    assertAbsent("mine", "locked/k");
    owner.putObject(b -> b.bucket("mine").key("still"), RequestBody.fromString("fine"));
  }
}
