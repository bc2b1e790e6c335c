package dev.cumulus.storage.s3.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.storage.cors.domain.CorsConfiguration;
import dev.cumulus.storage.lifecycle.domain.LifecycleConfiguration;
import dev.cumulus.storage.lifecycle.domain.LifecycleRule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lifecycle and CORS XML shapes: what parses, what S3 calls MalformedXML or refuses. */
class S3BucketConfigurationsTests {

  static String lifecycle(String rules) {
    return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + rules
        + "</LifecycleConfiguration>";
  }

  static void assertCode(Runnable parse, String code) {
    assertThatThrownBy(parse::run)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void readsEveryActionAndBothPrefixForms() {
    LifecycleConfiguration parsed =
        S3BucketConfigurations.lifecycleFromXml(
            lifecycle(
                "<Rule><ID>a</ID><Filter><Prefix>logs/</Prefix></Filter>"
                    + "<Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00.000Z</Date>"
                    + "</Expiration><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays>"
                    + "<NewerNoncurrentVersions>2</NewerNoncurrentVersions>"
                    + "</NoncurrentVersionExpiration><AbortIncompleteMultipartUpload>"
                    + "<DaysAfterInitiation>7</DaysAfterInitiation>"
                    + "</AbortIncompleteMultipartUpload></Rule>"
                    + "<Rule><Prefix>tmp/</Prefix><Status>Disabled</Status>"
                    + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
                    + "</Expiration></Rule>"
                    + "<Rule><ID>all</ID><Filter></Filter><Status>Enabled</Status>"
                    + "<Expiration><Days>3</Days></Expiration></Rule>"));
    assertThat(parsed.violation()).isEmpty();
    LifecycleRule first = parsed.rules().get(0);
    assertThat(first.prefix()).isEqualTo("logs/");
    assertThat(first.expiration().date()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(first.noncurrentExpiration())
        .isEqualTo(new LifecycleRule.NoncurrentExpiration(5, 2));
    assertThat(first.abortIncompleteUploadDays()).isEqualTo(7);
    LifecycleRule second = parsed.rules().get(1);
    assertThat(second.id()).isNotBlank(); // generated, as S3 does
    assertThat(second.prefix()).isEqualTo("tmp/");
    assertThat(second.enabled()).isFalse();
    assertThat(second.expiration().expiredObjectDeleteMarker()).isTrue();
    assertThat(parsed.rules().get(2).prefix()).isEmpty();

    // What is written reads back the same.
    assertThat(
            S3BucketConfigurations.lifecycleFromXml(S3BucketConfigurations.lifecycleToXml(parsed)))
        .isEqualTo(parsed);
  }

  @Test
  void malformedLifecycleShapes() {
    String days = "<Expiration><Days>1</Days></Expiration>";
    assertCode(() -> S3BucketConfigurations.lifecycleFromXml(""), "MalformedXML");
    assertCode(() -> S3BucketConfigurations.lifecycleFromXml("<Lifecycle"), "MalformedXML");
    assertCode(() -> S3BucketConfigurations.lifecycleFromXml(lifecycle("")), "MalformedXML");
    assertCode(
        () -> S3BucketConfigurations.lifecycleFromXml("<Other><Rule/></Other>"), "MalformedXML");
    assertCode(
        () -> S3BucketConfigurations.lifecycleFromXml(lifecycle("<Rule>" + days + "</Rule>")),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle("<Rule><Status>On</Status>" + days + "</Rule>")),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Prefix>a</Prefix><Filter><Prefix>b</Prefix></Filter>"
                        + "<Status>Enabled</Status>"
                        + days
                        + "</Rule>")),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Status>Enabled</Status><Expiration><Days>one</Days></Expiration>"
                        + "</Rule>")),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Status>Enabled</Status><Expiration><Days>1</Days><Days>2</Days>"
                        + "</Expiration></Rule>")),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Status>Enabled</Status><NoncurrentVersionExpiration>"
                        + "</NoncurrentVersionExpiration></Rule>")),
        "MalformedXML");
  }

  @Test
  void tagAndSizeFiltersParseAndReadBackAsTheyWerePut() {
    String and =
        "<Rule><ID>and</ID><Filter><And><Prefix>a/</Prefix>"
            + "<Tag><Key>k</Key><Value>v</Value></Tag><Tag><Key>flag</Key></Tag>"
            + "<ObjectSizeGreaterThan>5</ObjectSizeGreaterThan>"
            + "<ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>"
            + "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
    String tag =
        "<Rule><ID>tag</ID><Filter><Tag><Key>class</Key><Value>temp</Value></Tag></Filter>"
            + "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
    String size =
        "<Rule><ID>size</ID><Filter><ObjectSizeLessThan>10</ObjectSizeLessThan></Filter>"
            + "<Status>Enabled</Status><NoncurrentVersionExpiration>"
            + "<NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>";
    LifecycleConfiguration parsed =
        S3BucketConfigurations.lifecycleFromXml(lifecycle(and + tag + size));
    assertThat(parsed.violation()).isEmpty();
    LifecycleRule first = parsed.rules().get(0);
    assertThat(first.prefix()).isEqualTo("a/");
    assertThat(first.tags())
        .containsExactly(new LifecycleRule.Tag("k", "v"), new LifecycleRule.Tag("flag", ""));
    assertThat(first.objectSizeGreaterThan()).isEqualTo(5);
    assertThat(first.objectSizeLessThan()).isEqualTo(100);
    assertThat(first.andOperator()).isTrue();
    assertThat(first.matches("a/x", 50, java.util.Map.of("k", "v", "flag", "", "more", "1")))
        .isTrue();
    assertThat(first.matches("a/x", 5, java.util.Map.of("k", "v", "flag", ""))).isFalse();
    assertThat(first.matches("a/x", 100, java.util.Map.of("k", "v", "flag", ""))).isFalse();
    assertThat(first.matches("a/x", 50, java.util.Map.of("k", "w", "flag", ""))).isFalse();
    assertThat(first.matches("b/x", 50, java.util.Map.of("k", "v", "flag", ""))).isFalse();
    assertThat(parsed.rules().get(1).andOperator()).isFalse();

    String xml = S3BucketConfigurations.lifecycleToXml(parsed);
    assertThat(xml)
        .contains(
            "<Filter><And><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>"
                + "<Tag><Key>flag</Key><Value></Value></Tag>"
                + "<ObjectSizeGreaterThan>5</ObjectSizeGreaterThan>"
                + "<ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>")
        .contains("<Filter><Tag><Key>class</Key><Value>temp</Value></Tag></Filter>")
        .contains("<Filter><ObjectSizeLessThan>10</ObjectSizeLessThan></Filter>");
    assertThat(S3BucketConfigurations.lifecycleFromXml(xml)).isEqualTo(parsed);
  }

  @Test
  void badFiltersAreMalformedOrRefused() {
    String expire = "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
    // More than one condition outside And, And with fewer than two, a Tag without Key.
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Filter><Prefix>a/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>"
                        + "</Filter>"
                        + expire)),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle("<Rule><Filter><And><Prefix>a/</Prefix></And></Filter>" + expire)),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle("<Rule><Filter><Tag><Value>v</Value></Tag></Filter>" + expire)),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Filter><ObjectSizeLessThan>ten</ObjectSizeLessThan></Filter>"
                        + expire)),
        "MalformedXML");
    // Well-formed but refused: the bounds, duplicate keys, actions that cannot take the filter.
    assertViolation(
        "<Rule><Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan>"
            + "<ObjectSizeLessThan>10</ObjectSizeLessThan></And></Filter>"
            + expire,
        "InvalidArgument");
    assertViolation(
        "<Rule><Filter><ObjectSizeGreaterThan>-1</ObjectSizeGreaterThan></Filter>" + expire,
        "InvalidArgument");
    assertViolation(
        "<Rule><Filter><And><Tag><Key>k</Key><Value>a</Value></Tag>"
            + "<Tag><Key>k</Key><Value>b</Value></Tag></And></Filter>"
            + expire,
        "InvalidRequest");
    assertViolation(
        "<Rule><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>"
            + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation>"
            + "</AbortIncompleteMultipartUpload></Rule>",
        "InvalidRequest");
    assertViolation(
        "<Rule><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>"
            + "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"
            + "</Expiration></Rule>",
        "InvalidRequest");
  }

  static void assertViolation(String rule, String code) {
    assertThat(S3BucketConfigurations.lifecycleFromXml(lifecycle(rule)).violation())
        .hasValueSatisfying(v -> assertThat(v.code()).isEqualTo(code));
  }

  @Test
  void transitionsAreRefusedNotIgnored() {
    assertCode(
        () ->
            S3BucketConfigurations.lifecycleFromXml(
                lifecycle(
                    "<Rule><Filter/><Status>Enabled</Status><Transition><Days>1</Days>"
                        + "<StorageClass>GLACIER</StorageClass></Transition></Rule>")),
        "NotImplemented");
  }

  @Test
  void corsRoundTripAndMalformedShapes() {
    CorsConfiguration parsed =
        S3BucketConfigurations.corsFromXml(
            "<CORSConfiguration><CORSRule><ID>web</ID><AllowedOrigin>https://*.example.com"
                + "</AllowedOrigin><AllowedOrigin>http://localhost:3000</AllowedOrigin>"
                + "<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>"
                + "<AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
                + "<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>");
    assertThat(parsed.rules().get(0).allowedOrigins())
        .containsExactly("https://*.example.com", "http://localhost:3000");
    assertThat(parsed.rules().get(0).maxAgeSeconds()).isEqualTo(600);
    assertThat(S3BucketConfigurations.corsFromXml(S3BucketConfigurations.corsToXml(parsed)))
        .isEqualTo(parsed);

    assertCode(() -> S3BucketConfigurations.corsFromXml("<CORSConfiguration/>"), "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.corsFromXml(
                "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"
                    + "</CORSConfiguration>"),
        "MalformedXML");
    assertCode(
        () ->
            S3BucketConfigurations.corsFromXml(
                "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET"
                    + "</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule>"
                    + "</CORSConfiguration>"),
        "MalformedXML");
  }
}
