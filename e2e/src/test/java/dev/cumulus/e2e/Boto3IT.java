package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stock boto3 (the AWS SDK for Python) against the gateway's S3 endpoint, with an access key pair
 * auth-service issued: objects with metadata and ranges, the transfer manager's multipart upload
 * and ranged download, a delimiter listing, a presigned URL, S3 errors as boto3 exceptions, batch
 * delete. The script is {@code boto3_smoke.py}; skipped when no Python on PATH has boto3 (.ci/run
 * installs the Debian package python3-boto3).
 */
class Boto3IT {

  @Test
  void boto3WorksUnchangedThroughTheGateway() throws Exception {
    Optional<String> python = pythonWithBoto3();
    assumeTrue(python.isPresent(), "no python3 with boto3");
    Cumulus cumulus = Cumulus.get();
    Api api = new Api(cumulus.viaGateway());
    Api.Answer instance = cumulus.newStorageInstance(api, "boto3-media");
    Path work = Files.createTempDirectory("boto3");
    String output =
        runScript(
            python.get(),
            "boto3_smoke.py",
            work,
            Map.of(
                "S3_ENDPOINT", cumulus.gateway.baseUrl() + "/s3",
                "AWS_ACCESS_KEY_ID", instance.at("s3Credentials.accessKeyId"),
                "AWS_SECRET_ACCESS_KEY", instance.at("s3Credentials.secretAccessKey"),
                "AWS_CONFIG_FILE", work.resolve("none").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString(),
                "BUCKET", "boto3-media",
                "WORK", work.toString()));
    assertThat(output).contains("boto3 OK");
  }

  /**
   * Runs the test resource {@code script} (copied into {@code work}) with {@code python} and the
   * environment given; asserts it exits 0 within 180 s and returns its output.
   */
  static String runScript(String python, String script, Path work, Map<String, String> env)
      throws IOException, InterruptedException {
    Path copy = work.resolve(script);
    try (InputStream in = Boto3IT.class.getResourceAsStream("/" + script)) {
      Files.copy(in, copy);
    }
    ProcessBuilder builder =
        new ProcessBuilder(python, copy.toString())
            .directory(work.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("%s finished", script).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** The first of python3 on PATH or Debian's /usr/bin/python3 that can import boto3. */
  static Optional<String> pythonWithBoto3() throws InterruptedException {
    for (String python : List.of("python3", "/usr/bin/python3")) {
      try {
        Process probe =
            new ProcessBuilder(python, "-c", "import boto3").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
          return Optional.of(python);
        }
      } catch (IOException notThere) {
        // try the next one
      }
    }
    return Optional.empty();
  }
}
