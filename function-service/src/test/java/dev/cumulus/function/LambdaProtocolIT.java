package dev.cumulus.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import tools.jackson.databind.JsonNode;

/**
 * The AWS Lambda API at {@code /lambda} with stock clients: the SDK's {@code LambdaClient} with an
 * endpoint override, and {@code aws lambda invoke} when the AWS CLI is installed. Signed with the
 * instance's access keys; concurrent invocations of one function run in parallel.
 */
class LambdaProtocolIT extends FunctionTestSupport {

  static final String HANDLER =
      "import time\n"
          + "def handler(event, context):\n"
          + "    print('hello from', context.function_name)\n"
          + "    if event.get('fail'):\n"
          + "        raise KeyError('missing')\n"
          + "    time.sleep(event.get('sleep', 0))\n"
          + "    return {'echo': event, 'version': context.function_version}\n";

  String[] keys;
  LambdaClient lambda;

  @BeforeEach
  void client() {
    keys = keysFor(tenant, service);
    lambda = client(keys);
  }

  LambdaClient client(String[] credentials) {
    return LambdaClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port + "/lambda"))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(credentials[0], credentials[1])))
        .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  @Test
  void theSdkCreatesInvokesUpdatesAndDeletesFunctions() {
    var created =
        lambda.createFunction(
            b ->
                b.functionName("sdk-fn")
                    .runtime("python3.12")
                    .role("arn:aws:iam::123456789012:role/lambda")
                    .handler("app.handler")
                    .timeout(10)
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(zipBytes("app.py", HANDLER)))));
    assertThat(created.functionName()).isEqualTo("sdk-fn");
    assertThat(created.runtimeAsString()).isEqualTo("python3.12");
    assertThat(created.functionArn()).endsWith(":function:sdk-fn");

    InvokeResponse invoked =
        lambda.invoke(
            b ->
                b.functionName("sdk-fn")
                    .logType(LogType.TAIL)
                    .payload(SdkBytes.fromUtf8String("{\"userId\":123}")));
    assertThat(invoked.statusCode()).isEqualTo(200);
    assertThat(invoked.functionError()).isNull();
    assertThat(invoked.executedVersion()).isEqualTo("$LATEST");
    JsonNode payload = JSON.readTree(invoked.payload().asUtf8String());
    assertThat(payload.path("echo").path("userId").asInt()).isEqualTo(123);
    String log =
        new String(Base64.getDecoder().decode(invoked.logResult()), StandardCharsets.UTF_8);
    assertThat(log).contains("hello from sdk-fn").contains("REPORT RequestId:");

    InvokeResponse failed =
        lambda.invoke(
            b -> b.functionName("sdk-fn").payload(SdkBytes.fromUtf8String("{\"fail\":1}")));
    assertThat(failed.functionError()).isEqualTo("Unhandled");
    assertThat(JSON.readTree(failed.payload().asUtf8String()).path("errorType").asString())
        .isEqualTo("KeyError");

    InvokeResponse queued =
        lambda.invoke(
            b ->
                b.functionName("sdk-fn")
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{}")));
    assertThat(queued.statusCode()).isEqualTo(202);
    assertThat(
            lambda
                .invoke(b -> b.functionName("sdk-fn").invocationType(InvocationType.DRY_RUN))
                .statusCode())
        .isEqualTo(204);

    assertThat(lambda.getFunction(b -> b.functionName("sdk-fn")).configuration().handler())
        .isEqualTo("app.handler");
    assertThat(lambda.listFunctions().functions())
        .extracting(FunctionConfiguration::functionName)
        .containsExactly("sdk-fn");

    var recoded =
        lambda.updateFunctionCode(
            b ->
                b.functionName("sdk-fn")
                    .publish(true)
                    .zipFile(
                        SdkBytes.fromByteArray(
                            zipBytes("app.py", "def handler(e, c):\n    return 'v2'\n"))));
    assertThat(recoded.version()).isEqualTo("1");
    assertThat(recoded.codeSha256()).isNotEqualTo(created.codeSha256());
    assertThat(lambda.invoke(b -> b.functionName("sdk-fn").qualifier("1")).payload().asUtf8String())
        .isEqualTo("\"v2\"");

    lambda.deleteFunction(b -> b.functionName("sdk-fn"));
    assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("sdk-fn")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void concurrentInvocationsOfOneFunctionRunInParallel() throws Exception {
    lambda.createFunction(
        b ->
            b.functionName("parallel")
                .runtime("python3.11")
                .handler("app.handler")
                .timeout(10)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zipBytes("app.py", HANDLER)))));
    long started = System.nanoTime();
    try (ExecutorService clients = Executors.newFixedThreadPool(5)) {
      List<CompletableFuture<InvokeResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () ->
                    lambda.invoke(
                        b ->
                            b.functionName("parallel")
                                .payload(SdkBytes.fromUtf8String("{\"sleep\":1}"))),
                clients));
      }
      for (CompletableFuture<InvokeResponse> call : calls) {
        assertThat(call.get().functionError()).isNull();
      }
    }
    // Five one-second invocations one after the other would take five seconds
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3500));
  }

  @Test
  void badSignaturesAndOtherInstancesAreRefused() {
    createFunction(
        "mine", "python3.11", "app.handler", "app.py", "def handler(e, c):\n    return 1\n", null);
    LambdaClient forged = client(new String[] {keys[0], "not-the-secret"});
    assertThatThrownBy(() -> forged.invoke(b -> b.functionName("mine")))
        .isInstanceOf(LambdaException.class)
        .satisfies(
            e ->
                assertThat(((LambdaException) e).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidSignatureException"));
    LambdaClient unknown = client(new String[] {"AKIAUNKNOWN000000000", "secret"});
    assertThatThrownBy(() -> unknown.invoke(b -> b.functionName("mine")))
        .isInstanceOf(LambdaException.class)
        .satisfies(
            e ->
                assertThat(((LambdaException) e).awsErrorDetails().errorCode())
                    .isEqualTo("UnrecognizedClientException"));
    // Another instance's keys see that instance's functions, not these
    String otherService = UUID.randomUUID().toString();
    registry
        .created(otherService, "function", tenant, "other")
        .as(tx::transactional)
        .block(Duration.ofSeconds(10));
    LambdaClient other = client(keysFor(tenant, otherService));
    assertThatThrownBy(() -> other.invoke(b -> b.functionName("mine")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(other.listFunctions().functions()).isEmpty();
  }

  @Test
  void awsCliInvokesAFunction() throws Exception {
    Assumptions.assumeTrue(
        commandExists("aws"),
        "the AWS CLI is not installed (pip install awscli, or apt install awscli)");
    createFunction(
        "cli-fn",
        "python3.11",
        "app.handler",
        "app.py",
        "def handler(event, context):\n    print('cli was here')\n    return {'got': event}\n",
        null);
    Path out = Files.createTempFile("lambda-out", ".json");
    List<String> argv =
        new ArrayList<>(
            List.of(
                "aws",
                "lambda",
                "invoke",
                "--endpoint-url",
                "http://127.0.0.1:" + port + "/lambda",
                "--region",
                "us-east-1",
                "--function-name",
                "cli-fn",
                "--payload",
                "{\"hello\":\"cli\"}",
                "--log-type",
                "Tail",
                out.toString()));
    if (cliVersion().startsWith("aws-cli/2")) {
      argv.add(argv.indexOf("--payload"), "--cli-binary-format");
      argv.add(argv.indexOf("--payload"), "raw-in-base64-out");
    }
    ProcessBuilder command = new ProcessBuilder(argv).redirectErrorStream(true);
    // Only the instance's keys: no profile or credentials file of the machine is read
    command.environment().put("AWS_ACCESS_KEY_ID", keys[0]);
    command.environment().put("AWS_SECRET_ACCESS_KEY", keys[1]);
    command.environment().put("AWS_CONFIG_FILE", "/nonexistent");
    command.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");
    Process cli = command.start();
    cli.getOutputStream().close();
    String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(output).isZero();
    JsonNode answer = JSON.readTree(output);
    assertThat(answer.path("StatusCode").asInt()).isEqualTo(200);
    assertThat(new String(Base64.getDecoder().decode(answer.path("LogResult").asString())))
        .contains("cli was here");
    assertThat(JSON.readTree(Files.readString(out)).path("got").path("hello").asString())
        .isEqualTo("cli");
  }

  /** e.g. {@code aws-cli/1.45.11 Python/3.11.7 ...}: version 2 needs raw payloads flagged. */
  static String cliVersion() throws IOException {
    Process version = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
    return new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  static boolean commandExists(String command) {
    try {
      return new ProcessBuilder(command, "--version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  static byte[] zipBytes(String name, String source) {
    return Base64.getDecoder().decode(zip(Map.of(name, source)));
  }
}
