package dev.cumulus.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.InstanceRegistry;
import dev.cumulus.platform.sigv4.SigV4;
import dev.cumulus.platform.sigv4.SigningKeys;
import dev.cumulus.storage.common.StorageErrors;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Stock AWS SDK clients against the S3 endpoint of a test's storage-service, and the access keys
 * they sign with. Add {@link Keys} to a {@code @SpringBootTest}'s classes: access keys then resolve
 * through {@link #CREDENTIALS}, computed from known secrets (auth-service issues them in
 * production; the e2e module covers that path).
 */
public final class S3TestClients {

  /** Access key id -> {secret, tenant, service}, as auth-service would answer. */
  public static final Map<String, String[]> CREDENTIALS = new ConcurrentHashMap<>();

  private S3TestClients() {}

  /** Signing keys from {@link #CREDENTIALS} instead of auth-service. */
  @TestConfiguration
  public static class Keys {

    @Bean
    @Primary
    SigningKeys testSigningKeys() {
      return (accessKeyId, date, region, service) -> {
        String[] c = CREDENTIALS.get(accessKeyId);
        if (c == null) {
          return Mono.error(
              StorageErrors.of(
                  ErrorKind.FORBIDDEN,
                  "InvalidAccessKeyId",
                  "The AWS Access Key Id you provided does not exist in our records.",
                  null));
        }
        return Mono.just(
            new SigningKeys.Grant(
                accessKeyId, c[1], c[2], SigV4.signingKey(c[0], date, region, service)));
      };
    }
  }

  /**
   * A new access key of instance {@code service} of {@code tenant}; its secret: {@link #secret}.
   */
  public static String newKey(String tenant, String service) {
    String id = "CK" + UUID.randomUUID().toString().replace("-", "").substring(0, 18).toUpperCase();
    CREDENTIALS.put(id, new String[] {UUID.randomUUID() + "/Secret+Key", tenant, service});
    return id;
  }

  public static String secret(String accessKey) {
    return CREDENTIALS.get(accessKey)[0];
  }

  /** The S3 endpoint URL of the service on {@code port}. */
  public static URI endpoint(int port) {
    return URI.create("http://127.0.0.1:" + port + "/s3");
  }

  /** A path-style client builder signing with the given key; callers add an HTTP client. */
  public static S3ClientBuilder builder(int port, String accessKey, String secret) {
    return S3Client.builder()
        .endpointOverride(endpoint(port))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .forcePathStyle(true);
  }

  /**
   * The set-up the S3 ITs start from: registers instance {@code service} of {@code tenant}, gives
   * it an access key and returns a path-style client for it on the endpoint at {@code port}.
   */
  public static S3Client clientForNewInstance(
      InstanceRegistry instances,
      int port,
      String tenant,
      String service,
      String name,
      SdkHttpClient http) {
    instances.created(service, "s3storage", tenant, name).block(Duration.ofSeconds(10));
    String key = newKey(tenant, service);
    return builder(port, key, secret(key)).httpClient(http).build();
  }

  /** The call fails with an S3 error of this status and (unless null) this code. */
  public static void assertS3Error(Runnable call, int status, String code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
              if (code != null) {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
              }
            });
  }

  /** Skips the calling test where python3 has no boto3 (python3-boto3 in Debian). */
  public static void assumeBoto3() throws Exception {
    Assumptions.assumeTrue(
        new ProcessBuilder("python3", "-c", "import boto3").start().waitFor() == 0,
        "no python3 with boto3");
  }

  /**
   * Runs a Python script (boto3 as its users write it) with {@code environment}; its output (stdout
   * and stderr), once it exited 0.
   */
  public static String python(String script, Map<String, String> environment) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }

  /**
   * The environment a boto3 script reaches the endpoint on {@code port} with: {@code ENDPOINT}, and
   * a new access key of the instance in {@code KEY} and {@code SECRET}.
   */
  public static Map<String, String> boto3Environment(int port, String tenant, String service) {
    String key = newKey(tenant, service);
    return Map.of("ENDPOINT", endpoint(port).toString(), "KEY", key, "SECRET", secret(key));
  }

  public static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String md5Hex(byte[] bytes) {
    return HexFormat.of().formatHex(md5(bytes));
  }
}
