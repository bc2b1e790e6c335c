package dev.cumulus.storage.sharelink.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.security.CumulusSecurityProperties;
import dev.cumulus.storage.config.StorageProperties;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class PublicS3OriginTests {

  static PublicS3Origin origin(String publicUrl) {
    return new PublicS3Origin(
        new StorageProperties(
            null,
            null,
            null,
            new StorageProperties.S3(null, null, null, publicUrl),
            null,
            null,
            null,
            null,
            null,
            null),
        new CumulusSecurityProperties(
            null, null, List.of(), List.of(), List.of(), null, List.of("10.0.0.0/8")));
  }

  static MockServerHttpRequest request(String peer) {
    return MockServerHttpRequest.post("http://storage:8082/api/s3storage/t/s/buckets/b/share-links")
        .remoteAddress(new InetSocketAddress(peer, 40000))
        .header("X-Forwarded-Host", "planted.example, cloud.example.com")
        .header("X-Forwarded-Proto", "https")
        .build();
  }

  @Test
  void theConfiguredPublicUrlWinsOverWhatTheRequestSays() {
    assertThat(origin("https://cloud.example.com:8443/").of(request("10.1.2.3")))
        .isEqualTo(URI.create("https://cloud.example.com:8443"));
  }

  @Test
  void forwardedHostAndProtoCountOnlyFromATrustedProxy() {
    assertThat(origin(" ").of(request("10.1.2.3")))
        .isEqualTo(URI.create("https://cloud.example.com"));
    assertThat(origin(null).of(request("192.0.2.7"))).isEqualTo(URI.create("http://storage:8082"));
  }

  @Test
  void aPublicUrlWithAPathOrAnotherSchemeStopsStartUp() {
    for (String bad : List.of("https://cloud.example.com/s3", "ftp://cloud.example.com", "cloud")) {
      assertThatThrownBy(() -> origin(bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("CUMULUS_S3_PUBLIC_URL");
    }
  }

  @Test
  void aForwardedHostThatIsNoHostIsTheCallersError() {
    MockServerHttpRequest request =
        MockServerHttpRequest.post("http://storage:8082/x")
            .remoteAddress(new InetSocketAddress("10.0.0.1", 40000))
            .header("X-Forwarded-Host", "bad host^")
            .build();
    assertThatThrownBy(() -> origin(null).of(request)).isInstanceOf(ApiException.class);
  }
}
