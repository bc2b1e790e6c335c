package dev.cumulus.storage.s3.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3PathTests {

  @Test
  void thePlainFormNamesBucketAndKeyOfTheSignersInstance() {
    S3Path path = S3Path.of("/s3/docs/a/b%20c.txt", "/s3");
    assertThat(path.namespaced()).isFalse();
    assertThat(path.bucket()).isEqualTo("docs");
    assertThat(path.key()).isEqualTo("a/b c.txt");
    assertThat(path.decoded()).isEqualTo("/s3/docs/a/b c.txt");
    assertThat(S3Path.of("/s3", "/s3").bucket()).isNull();
  }

  @Test
  void theNamespaceFormNamesTheInstanceFirst() {
    S3Path path = S3Path.of("/s3/i/acme/svc-1/docs/a/b.txt", "/s3");
    assertThat(path.namespaced()).isTrue();
    assertThat(path.tenantId()).isEqualTo("acme");
    assertThat(path.serviceId()).isEqualTo("svc-1");
    assertThat(path.bucket()).isEqualTo("docs");
    assertThat(path.key()).isEqualTo("a/b.txt");

    S3Path bucket = S3Path.of("/s3/i/acme/svc-1/docs/", "/s3");
    assertThat(bucket.bucket()).isEqualTo("docs");
    assertThat(bucket.key()).isNull();

    S3Path service = S3Path.of("/s3/i/acme/svc-1", "/s3");
    assertThat(service.namespaced()).isTrue();
    assertThat(service.bucket()).isNull();
    // "i" cannot be a bucket (names have 3 to 63 characters); "ix" is no namespace either.
    assertThat(S3Path.of("/s3/ixy/k", "/s3").namespaced()).isFalse();
  }
}
