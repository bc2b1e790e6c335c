package dev.cumulus.storage.object;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumulus.storage.StorageSeedFixture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Bad input to the seed API's object endpoints: each gets a 4xx in the seed's error envelope, never
 * a 500. Every case has a bucket {@code inputs} holding object {@code k}.
 */
class SeedBadInputIT extends StorageSeedFixture {

  static Arguments answer(String name, String query, String formBody, int status, String code) {
    return Arguments.of(name, query, formBody, status, code);
  }

  static Stream<Arguments> cases() {
    String nulToken =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("a\0b".getBytes(StandardCharsets.UTF_8));
    String field = "--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk2\r\n";
    String file =
        "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello";
    return Stream.of(
        answer("NUL in prefix", "prefix=a%00b", null, 400, "InvalidArgument"),
        answer("NUL behind a continuationToken", "continuationToken=" + nulToken, null, 400, null),
        answer("a form without its closing boundary", null, field + file, 400, null),
        answer("a form cut inside its headers", null, "--xyz\r\nContent-Dispo", 400, null),
        answer("a form without any boundary", null, "hello", 400, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersWithTheSeedsEnvelopeNeverA500(
      String name, String query, String formBody, int status, String code) {
    SeedInstance seed = seedInstance("bad-input");
    createBucket(seed.base(), seed.token(), "inputs");
    upload(seed.base(), seed.token(), "inputs", "hello".getBytes(StandardCharsets.UTF_8), "k");
    String objects = seed.base() + "/buckets/inputs/objects";
    JsonNode error;
    if (formBody == null) {
      error =
          json(
              http.get()
                  // As sent: the client must not encode the %00 again.
                  .uri(URI.create("http://127.0.0.1:" + port + objects + "?" + query))
                  .header("Authorization", "Bearer " + seed.token())
                  .exchange()
                  .expectStatus()
                  .isEqualTo(status));
    } else {
      error =
          json(
              request(HttpMethod.POST, objects, seed.token())
                  .contentType(MediaType.parseMediaType("multipart/form-data; boundary=xyz"))
                  .bodyValue(formBody.getBytes(StandardCharsets.UTF_8))
                  .exchange()
                  .expectStatus()
                  .isEqualTo(status));
    }
    assertThat(error.path("error").path("code").asString()).as(name).isNotEmpty();
    if (code != null) {
      assertThat(error.path("error").path("code").asString()).as(name).isEqualTo(code);
    }
  }
}
