package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stock {@code aws} CLI (Debian package awscli) against the gateway's S3 endpoint: high-level
 * {@code s3 cp/ls/sync/rm} (multipart above 8 MiB, {@code Expect: 100-continue}) and {@code s3api}.
 * Skipped when awscli is not installed (.ci/run installs it).
 */
class AwsCliIT {

  @Test
  void awsCliCopiesListsSyncsAndRemovesThroughTheGateway() throws Exception {
    assumeTrue(onPath("aws"), "awscli is not installed");
    Cumulus cumulus = Cumulus.get();
    Api api = new Api(cumulus.viaGateway());
    Api.Answer instance = cumulus.newStorageInstance(api, "cli-media");
    Path work = Files.createTempDirectory("awscli");
    Aws aws = Aws.forInstance(cumulus, instance, work);

    aws.runUntilOk("s3", "mb", "s3://cli-media"); // storage learns of the instance from Kafka
    byte[] big = new byte[20 * 1024 * 1024 + 5];
    new Random(9).nextBytes(big);
    Files.write(work.resolve("big.bin"), big);
    Files.createDirectories(work.resolve("tree/a"));
    Files.writeString(work.resolve("tree/a/one.txt"), "one");
    Files.writeString(work.resolve("tree/two words.txt"), "two");

    aws.run("s3", "cp", work.resolve("big.bin").toString(), "s3://cli-media/big.bin");
    aws.run("s3", "cp", "s3://cli-media/big.bin", work.resolve("back.bin").toString());
    assertThat(Files.readAllBytes(work.resolve("back.bin"))).isEqualTo(big);
    assertThat(aws.run("s3api", "head-object", "--bucket", "cli-media", "--key", "big.bin"))
        .contains("-3\\\""); // multipart ETag: 8 MiB parts

    aws.run("s3", "sync", work.resolve("tree").toString(), "s3://cli-media/tree");
    assertThat(aws.run("s3", "ls", "--recursive", "s3://cli-media/tree/"))
        .contains("tree/a/one.txt")
        .contains("tree/two words.txt");
    assertThat(aws.run("s3api", "list-objects-v2", "--bucket", "cli-media", "--delimiter", "/"))
        .contains("\"Prefix\": \"tree/\"")
        .contains("\"Key\": \"big.bin\"");
    String url = aws.run("s3", "presign", "s3://cli-media/tree/a/one.txt").strip();
    assertThat(url).contains("X-Amz-Signature=");

    aws.run("s3", "rm", "--recursive", "s3://cli-media/");
    aws.run("s3", "rb", "s3://cli-media");
    assertThat(aws.run("s3", "ls")).doesNotContain("cli-media");
  }

  /**
   * docs/storage.md's lifecycle and CORS examples, as written there, then a browser's preflight.
   */
  @Test
  void awsCliConfiguresLifecycleAndCorsAndBrowsersGetTheBucketsAnswer() throws Exception {
    assumeTrue(onPath("aws"), "awscli is not installed");
    Cumulus cumulus = Cumulus.get();
    Api api = new Api(cumulus.viaGateway());
    Api.Answer instance = cumulus.newStorageInstance(api, "cli-site");
    Path work = Files.createTempDirectory("awscli-site");
    Aws aws = Aws.forInstance(cumulus, instance, work);
    // Preflights find a bucket by name across instances: a name of this run only.
    String bucket = "site-" + UUID.randomUUID().toString().substring(0, 8);
    aws.runUntilOk("s3", "mb", "s3://" + bucket);

    Files.writeString(
        work.resolve("lifecycle.json"),
        """
        {"Rules": [
          {"ID": "expire-logs", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 30}},
          {"ID": "tidy", "Filter": {"Prefix": ""}, "Status": "Enabled",
           "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
           "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]}
        """);
    aws.run(
        "s3api",
        "put-bucket-lifecycle-configuration",
        "--bucket",
        bucket,
        "--lifecycle-configuration",
        "file://lifecycle.json");
    assertThat(aws.run("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket))
        .contains("\"ID\": \"expire-logs\"")
        .contains("\"Days\": 30")
        .contains("\"NoncurrentDays\": 7")
        .contains("\"DaysAfterInitiation\": 2");

    Files.writeString(
        work.resolve("cors.json"),
        """
        {"CORSRules": [{"AllowedOrigins": ["https://app.example.com"], "AllowedMethods": ["GET", "PUT"],
          "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 600}]}
        """);
    aws.run(
        "s3api", "put-bucket-cors", "--bucket", bucket, "--cors-configuration", "file://cors.json");
    assertThat(aws.run("s3api", "get-bucket-cors", "--bucket", bucket))
        .contains("https://app.example.com");

    // A browser's preflight through the gateway gets the bucket's answer, not the gateway's.
    HttpClient http = HttpClient.newHttpClient();
    java.util.function.Function<String, HttpResponse<String>> preflight =
        origin -> {
          try {
            return http.send(
                HttpRequest.newBuilder(
                        URI.create(cumulus.gateway.baseUrl() + "/s3/" + bucket + "/photo.jpg"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", origin)
                    .header("Access-Control-Request-Method", "PUT")
                    .header("Access-Control-Request-Headers", "content-type")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        };
    HttpResponse<String> allowed = preflight.apply("https://app.example.com");
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().allValues("Access-Control-Allow-Origin"))
        .containsExactly("https://app.example.com");
    assertThat(allowed.headers().allValues("Access-Control-Max-Age")).containsExactly("600");
    HttpResponse<String> refused = preflight.apply("https://elsewhere.example.org");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("CORSResponse");

    aws.run("s3api", "delete-bucket-cors", "--bucket", bucket);
    aws.run("s3api", "delete-bucket-lifecycle", "--bucket", bucket);
    assertThat(preflight.apply("https://app.example.com").statusCode()).isEqualTo(403);
    aws.run("s3", "rb", "s3://" + bucket);
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code aws --endpoint-url <endpoint> ...} and returns its output. */
  record Aws(String endpoint, Map<String, String> env, Path work) {

    /**
     * The CLI with an instance's key pair against the gateway's S3 endpoint, configured in {@code
     * work} only (SigV4 also for presigned URLs; no profile of the machine's user is read).
     */
    static Aws forInstance(Cumulus cumulus, Api.Answer instance, Path work) throws IOException {
      Files.writeString(work.resolve("config"), "[default]\ns3 =\n    signature_version = s3v4\n");
      Map<String, String> env =
          Map.of(
              "AWS_ACCESS_KEY_ID", instance.at("s3Credentials.accessKeyId"),
              "AWS_SECRET_ACCESS_KEY", instance.at("s3Credentials.secretAccessKey"),
              "AWS_DEFAULT_REGION", "us-east-1",
              "AWS_CONFIG_FILE", work.resolve("config").toString(),
              "AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString());
      return new Aws(cumulus.gateway.baseUrl() + "/s3", env, work);
    }

    /**
     * The CLI with an instance's key pair against one of the gateway's AWS endpoints ({@code path}
     * such as {@code /sqs}); no profile or config file of the machine's user is read.
     */
    static Aws forKeyPair(Cumulus cumulus, Api.Answer instance, String path, Path work) {
      return new Aws(cumulus.gateway.baseUrl() + path, keyPairEnvironment(instance), work);
    }

    /** The instance's key pair and a region, with the user's own AWS files out of the way. */
    static Map<String, String> keyPairEnvironment(Api.Answer instance) {
      return Map.of(
          "AWS_ACCESS_KEY_ID", instance.at("s3Credentials.accessKeyId"),
          "AWS_SECRET_ACCESS_KEY", instance.at("s3Credentials.secretAccessKey"),
          "AWS_DEFAULT_REGION", "us-east-1",
          "AWS_CONFIG_FILE", "/dev/null",
          "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    String run(String... args) throws IOException, InterruptedException {
      Result result = exec(args);
      assertThat(result.exit).as("aws %s:\n%s", String.join(" ", args), result.output).isZero();
      return result.output;
    }

    /** Runs a command that must fail and returns its output (the CLI's error message). */
    String runFailing(String... args) throws IOException, InterruptedException {
      Result result = exec(args);
      assertThat(result.exit).as("aws %s:\n%s", String.join(" ", args), result.output).isNotZero();
      return result.output;
    }

    void runUntilOk(String... args) throws IOException, InterruptedException {
      for (int attempt = 0; attempt < 60; attempt++) {
        if (exec(args).exit == 0) {
          return;
        }
        Thread.sleep(500);
      }
      run(args);
    }

    private record Result(int exit, String output) {}

    private Result exec(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint));
      command.addAll(List.of(args));
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, output + "\n(timed out)");
      }
      return new Result(process.exitValue(), output);
    }
  }
}
