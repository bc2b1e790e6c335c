package dev.cumulus.storage.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.platform.testsupport.TestJwtIssuer;
import dev.cumulus.storage.StorageSeedFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/** Seed 000 buckets: public buckets read without a token, encrypted buckets at rest. */
class BucketSeedIT extends StorageSeedFixture {
  @Test
  void objectsOfAPublicBucketCanBeReadWithoutAToken() {
    SeedInstance seed = seedInstance("my-site");
    createBucket(seed.base(), seed.token(), "site", true);
    createBucket(seed.base(), seed.token(), "private", false);
    byte[] page = "<h1>hello</h1>".getBytes(StandardCharsets.UTF_8);
    upload(seed.base(), seed.token(), "site", page, "index.html");
    upload(seed.base(), seed.token(), "private", page, "index.html");
    String object = seed.base() + "/buckets/site/objects/index.html";

    // Anyone may read the public bucket's object: whole, a range, its headers.
    assertThat(
            http.get()
                .uri(object)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody())
        .isEqualTo(page);
    http.get()
        .uri(object)
        .header("Range", "bytes=4-8")
        .exchange()
        .expectStatus()
        .isEqualTo(206)
        .expectBody(String.class)
        .isEqualTo("hello");
    http.head().uri(object).exchange().expectStatus().isOk().expectHeader().contentLength(14);

    // Nothing else without a token: the private bucket, a missing key's bucket or instance,
    // listing, writing, deleting. The same 401 whether the thing exists or not.
    for (String hidden :
        List.of(
            seed.base() + "/buckets/private/objects/index.html",
            seed.base() + "/buckets/nope/objects/index.html",
            "/api/s3storage/"
                + seed.tenant()
                + "/"
                + UUID.randomUUID()
                + "/buckets/site/objects/index.html",
            "/api/s3storage/t-other/" + seed.service() + "/buckets/site/objects/index.html",
            seed.base() + "/buckets/site/objects",
            seed.base() + "/buckets/site")) {
      JsonNode refused = json(http.get().uri(hidden).exchange().expectStatus().isUnauthorized());
      assertThat(refused.path("error").path("message").asString()).isNotBlank();
    }
    http.delete().uri(object).exchange().expectStatus().isUnauthorized();
    http.post()
        .uri(seed.base() + "/buckets/site/objects")
        .contentType(MediaType.MULTIPART_FORM_DATA)
        .body(BodyInserters.fromMultipartData(form(page, "evil.html", "text/html")))
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(download(object, seed.token())).isEqualTo(page);
    get(seed.base() + "/buckets/site/objects/evil.html", seed.token(), 404);

    // A token is checked as anywhere: another tenant's is refused even for a public object.
    String stranger = TestJwtIssuer.shared().token("t-" + UUID.randomUUID(), "admin");
    get(object, stranger, 403);
  }

  @Test
  void anEncryptedBucketServesThePlaintextAndKeepsOnlyCiphertextOnDisk() throws Exception {
    SeedInstance seed = seedInstance("sealed");
    request(HttpMethod.POST, seed.base() + "/buckets", seed.token())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(
            Map.of(
                "name", "sealed", "versioning", false, "encryption", true, "publicAccess", false))
        .exchange()
        .expectStatus()
        .isCreated();
    String marker = "SEED-SECRET-" + UUID.randomUUID();
    byte[] bytes =
        java.util.Arrays.copyOf(
            (marker + " is a line of plaintext\n").repeat(8000).getBytes(StandardCharsets.UTF_8),
            300_000);

    JsonNode uploaded = upload(seed.base(), seed.token(), "sealed", bytes, "docs/secret.txt");
    assertThat(uploaded.path("size").asLong()).isEqualTo(bytes.length);
    assertThat(uploaded.path("etag").asString()).isEqualTo(md5(bytes));
    assertThat(download(seed.base() + "/buckets/sealed/objects/docs/secret.txt", seed.token()))
        .isEqualTo(bytes);
    byte[] range =
        request(
                HttpMethod.GET,
                seed.base() + "/buckets/sealed/objects/docs/secret.txt",
                seed.token())
            .header("Range", "bytes=65000-140000")
            .exchange()
            .expectStatus()
            .isEqualTo(206)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    assertThat(range).isEqualTo(java.util.Arrays.copyOfRange(bytes, 65_000, 140_001));
    assertThat(
            get(seed.base() + "/buckets/sealed", seed.token(), 200).path("encryption").asBoolean())
        .isTrue();

    assertThat(blobFiles(seed.service())).hasSize(1);
    assertThat(
            new String(
                Files.readAllBytes(blobFiles(seed.service()).get(0)), StandardCharsets.ISO_8859_1))
        .doesNotContain(marker);
  }
}
