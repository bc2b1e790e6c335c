package dev.cumulus.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.events.ReceivedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/**
 * Seed 000 "S3-like Storage Service" end to end: every example of the seed, as HTTP calls and as
 * the curl commands it prints.
 */
class StorageSeedIT extends StorageSeedFixture {
  @Test
  void everySeedStorageExampleWorks() throws Exception {
    SeedInstance seed = seedInstance("my-storage");

    // Create Bucket (exact seed body)
    JsonNode bucket =
        json(
            request(HttpMethod.POST, seed.base() + "/buckets", seed.token())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                    """
                    {
                      "name": "my-documents",
                      "versioning": true,
                      "encryption": true,
                      "publicAccess": false
                    }
                    """)
                .exchange()
                .expectStatus()
                .isCreated());
    assertThat(bucket.path("name").asString()).isEqualTo("my-documents");
    assertThat(bucket.path("versioning").asBoolean()).isTrue();
    assertThat(bucket.path("encryption").asBoolean()).isTrue();
    assertThat(bucket.path("publicAccess").asBoolean()).isFalse();
    assertThat(bucket.path("createdAt").asString()).isNotBlank();

    // List Buckets
    JsonNode buckets = get(seed.base() + "/buckets", seed.token(), 200);
    assertThat(buckets.path("buckets").size()).isEqualTo(1);
    assertThat(buckets.path("buckets").get(0).path("name").asString()).isEqualTo("my-documents");

    // Upload Object (file, key, contentType), larger than the in-memory part threshold
    byte[] pdf = randomBytes(300_000);
    JsonNode uploaded =
        upload(seed.base(), seed.token(), "my-documents", pdf, "documents/important.pdf");
    assertThat(uploaded.path("key").asString()).isEqualTo("documents/important.pdf");
    assertThat(uploaded.path("size").asLong()).isEqualTo(pdf.length);
    assertThat(uploaded.path("etag").asString()).isEqualTo(md5(pdf));
    upload(
        seed.base(),
        seed.token(),
        "my-documents",
        "b".getBytes(StandardCharsets.UTF_8),
        "documents/b.txt");
    upload(
        seed.base(),
        seed.token(),
        "my-documents",
        "c".getBytes(StandardCharsets.UTF_8),
        "documents/c.txt");
    upload(
        seed.base(),
        seed.token(),
        "my-documents",
        "x".getBytes(StandardCharsets.UTF_8),
        "other/x.txt");

    // Get Bucket Details
    JsonNode details = get(seed.base() + "/buckets/my-documents", seed.token(), 200);
    assertThat(details.path("name").asString()).isEqualTo("my-documents");
    assertThat(details.path("objectCount").asLong()).isEqualTo(4);
    assertThat(details.path("totalBytes").asLong()).isEqualTo(pdf.length + 3);

    // List Objects in Bucket (seed query), then paging with continuation
    JsonNode listed =
        get(
            seed.base() + "/buckets/my-documents/objects?prefix=documents/&maxKeys=100",
            seed.token(),
            200);
    assertThat(keys(listed))
        .containsExactly("documents/b.txt", "documents/c.txt", "documents/important.pdf");
    assertThat(listed.path("isTruncated").asBoolean()).isFalse();
    JsonNode first = listed.path("objects").get(2);
    assertThat(first.path("size").asLong()).isEqualTo(pdf.length);
    assertThat(first.path("etag").asString()).isEqualTo(md5(pdf));
    assertThat(first.path("contentType").asString()).isEqualTo("application/pdf");
    assertThat(first.path("lastModified").asString()).isNotBlank();
    JsonNode page1 =
        get(
            seed.base() + "/buckets/my-documents/objects?prefix=documents/&maxKeys=2",
            seed.token(),
            200);
    assertThat(keys(page1)).containsExactly("documents/b.txt", "documents/c.txt");
    assertThat(page1.path("isTruncated").asBoolean()).isTrue();
    String next = page1.path("nextContinuationToken").asString();
    JsonNode page2 =
        get(
            seed.base()
                + "/buckets/my-documents/objects?prefix=documents/&maxKeys=2&continuationToken="
                + next,
            seed.token(),
            200);
    assertThat(keys(page2)).containsExactly("documents/important.pdf");
    assertThat(page2.path("isTruncated").asBoolean()).isFalse();

    // Download Object: byte-equal, with headers
    EntityExchangeResult<byte[]> download =
        request(
                HttpMethod.GET,
                seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
                seed.token())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult();
    assertThat(download.getResponseBody()).isEqualTo(pdf);
    HttpHeaders headers = download.getResponseHeaders();
    assertThat(headers.getContentType()).isEqualTo(MediaType.APPLICATION_PDF);
    assertThat(headers.getContentLength()).isEqualTo(pdf.length);
    assertThat(headers.getETag()).isEqualTo("\"" + md5(pdf) + "\"");
    assertThat(headers.getLastModified()).isPositive();

    // HEAD: the headers without the body
    request(
            HttpMethod.HEAD,
            seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
            seed.token())
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentLength(pdf.length)
        .expectHeader()
        .valueEquals("ETag", "\"" + md5(pdf) + "\"")
        .expectBody()
        .isEmpty();

    // Range
    EntityExchangeResult<byte[]> partial =
        request(
                HttpMethod.GET,
                seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
                seed.token())
            .header("Range", "bytes=100-199")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectBody(byte[].class)
            .returnResult();
    assertThat(partial.getResponseBody()).isEqualTo(Arrays.copyOfRange(pdf, 100, 200));
    assertThat(partial.getResponseHeaders().getFirst("Content-Range"))
        .isEqualTo("bytes 100-199/" + pdf.length);
    EntityExchangeResult<byte[]> suffix =
        request(
                HttpMethod.GET,
                seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
                seed.token())
            .header("Range", "bytes=-10")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectBody(byte[].class)
            .returnResult();
    assertThat(suffix.getResponseBody())
        .isEqualTo(Arrays.copyOfRange(pdf, pdf.length - 10, pdf.length));
    request(
            HttpMethod.GET,
            seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
            seed.token())
        .header("Range", "bytes=" + pdf.length + "-")
        .exchange()
        .expectStatus()
        .isEqualTo(416)
        .expectHeader()
        .valueEquals("Content-Range", "bytes */" + pdf.length)
        .expectBody()
        .jsonPath("$.error.code")
        .isEqualTo("InvalidRange");

    // Replacing a key serves the new bytes; the bucket has versioning on, so the old version
    // keeps its file
    byte[] replacement = randomBytes(1234);
    upload(seed.base(), seed.token(), "my-documents", replacement, "documents/important.pdf");
    assertThat(
            download(
                seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
                seed.token()))
        .isEqualTo(replacement);
    assertThat(blobFiles(seed.service())).hasSize(5);

    // Get Storage Usage
    JsonNode usage = get(seed.base() + "/usage", seed.token(), 200);
    assertThat(usage.path("bucketCount").asLong()).isEqualTo(1);
    assertThat(usage.path("objectCount").asLong()).isEqualTo(4);
    assertThat(usage.path("totalBytes").asLong()).isEqualTo(replacement.length + 3);

    // Delete Bucket refused while it holds objects
    JsonNode notEmpty = delete(seed.base() + "/buckets/my-documents", seed.token(), 409);
    assertThat(notEmpty.path("error").path("code").asString()).isEqualTo("BucketNotEmpty");

    // Delete Object
    request(
            HttpMethod.DELETE,
            seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
            seed.token())
        .exchange()
        .expectStatus()
        .isNoContent();
    JsonNode gone =
        get(
            seed.base() + "/buckets/my-documents/objects/documents/important.pdf",
            seed.token(),
            404);
    assertThat(gone.path("error").path("code").asString()).isEqualTo("NoSuchKey");
    assertThat(gone.path("requestId").asString()).isNotBlank();
    for (String key : List.of("documents/b.txt", "documents/c.txt", "other/x.txt")) {
      request(HttpMethod.DELETE, seed.base() + "/buckets/my-documents/objects/" + key, seed.token())
          .exchange()
          .expectStatus()
          .isNoContent();
    }
    // Versioning on: deletes wrote delete markers and every version keeps its file, so the
    // bucket is not empty until they are removed (by version id, which the seed API lacks).
    assertThat(get(seed.base() + "/usage", seed.token(), 200).path("objectCount").asLong())
        .isZero();
    assertThat(blobFiles(seed.service())).hasSize(5);
    delete(seed.base() + "/buckets/my-documents", seed.token(), 409);
    purgeVersions(seed.tenant(), seed.service(), "my-documents");
    assertThat(blobFiles(seed.service())).isEmpty();

    // Delete Bucket, now empty
    request(HttpMethod.DELETE, seed.base() + "/buckets/my-documents", seed.token())
        .exchange()
        .expectStatus()
        .isNoContent();
    get(seed.base() + "/buckets/my-documents", seed.token(), 404);
    assertThat(get(seed.base() + "/usage", seed.token(), 200).path("bucketCount").asLong())
        .isZero();

    // Events on Kafka, each with tenant and instance
    // 1 bucket created, 5 objects created, 4 delete markers, 9 versions purged, 1 bucket deleted
    List<ReceivedEvent> events = storageEvents(seed.service(), 20);
    List<String> types = events.stream().map(ReceivedEvent::type).toList();
    assertThat(types)
        .contains(
            "dev.cumulus.storage.bucket.created.v1",
            "dev.cumulus.storage.object.created.v1",
            "dev.cumulus.storage.object.deleted.v1",
            "dev.cumulus.storage.bucket.deleted.v1");
    assertThat(types.stream().filter("dev.cumulus.storage.object.created.v1"::equals)).hasSize(5);
    ReceivedEvent created =
        events.stream()
            .filter(e -> e.type().equals("dev.cumulus.storage.object.created.v1"))
            .findFirst()
            .orElseThrow();
    JsonNode data = JSON.readTree(created.data());
    assertThat(created.tenantId()).isEqualTo(seed.tenant());
    assertThat(data.path("tenantId").asString()).isEqualTo(seed.tenant());
    assertThat(data.path("serviceId").asString()).isEqualTo(seed.service());
    assertThat(data.path("bucket").asString()).isEqualTo("my-documents");
  }

  /** The seed's curl commands, run with curl itself (its multipart encoding, its headers). */
  @Test
  void theSeedsCurlCommandsWorkAsWritten() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
    SeedInstance seed = seedInstance("curl-storage");
    String base = "http://127.0.0.1:" + port + seed.base();
    Path dir = Files.createTempDirectory("storage-curl");
    byte[] pdf = randomBytes(70_000);
    Files.write(dir.resolve("document.pdf"), pdf);

    assertThat(
            curl(
                dir,
                seed.token(),
                "-X",
                "POST",
                base + "/buckets",
                "-H",
                "Content-Type: application/json",
                "-d",
                """
                {
                    "name": "my-documents",
                    "versioning": true,
                    "encryption": true,
                    "publicAccess": false
                  }\
                """))
        .startsWith("201");
    assertThat(curl(dir, seed.token(), "-X", "GET", base + "/buckets")).startsWith("200");
    assertThat(curl(dir, seed.token(), "-X", "GET", base + "/buckets/my-documents"))
        .startsWith("200");
    String uploaded =
        curl(
            dir,
            seed.token(),
            "-X",
            "POST",
            base + "/buckets/my-documents/objects",
            "-F",
            "file=@document.pdf",
            "-F",
            "key=documents/important.pdf",
            "-F",
            "contentType=application/pdf");
    assertThat(uploaded).startsWith("201");
    assertThat(JSON.readTree(uploaded.substring(3)).path("etag").asString()).isEqualTo(md5(pdf));
    String listed =
        curl(
            dir,
            seed.token(),
            "-X",
            "GET",
            base + "/buckets/my-documents/objects?prefix=documents/&maxKeys=100");
    assertThat(keys(JSON.readTree(listed.substring(3)))).containsExactly("documents/important.pdf");
    assertThat(
            curl(
                dir,
                seed.token(),
                "-X",
                "GET",
                base + "/buckets/my-documents/objects/documents/important.pdf",
                "-o",
                "downloaded_file.pdf"))
        .startsWith("200");
    assertThat(Files.readAllBytes(dir.resolve("downloaded_file.pdf"))).isEqualTo(pdf);
    assertThat(
            curl(
                dir,
                seed.token(),
                "-X",
                "DELETE",
                base + "/buckets/my-documents/objects/documents/important.pdf"))
        .startsWith("204");
    String usage = curl(dir, seed.token(), "-X", "GET", base + "/usage");
    assertThat(usage).startsWith("200");
    assertThat(JSON.readTree(usage.substring(3)).path("objectCount").asLong()).isZero();
  }

  /** Runs curl in {@code dir} with the seed's two headers; returns "status body". */
  static String curl(Path dir, String token, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-w", "%{http_code}"));
    command.addAll(List.of(args));
    command.addAll(
        List.of("-H", "Authorization: Bearer " + token, "-H", "X-API-Key: ck_seed_example"));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    // -w appends the status: move it to the front.
    return output.substring(output.length() - 3) + " " + output.substring(0, output.length() - 3);
  }
}
