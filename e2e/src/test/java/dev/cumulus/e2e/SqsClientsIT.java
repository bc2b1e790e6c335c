package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stock SQS clients against the gateway's {@code /sqs} endpoint with a queue instance's access key
 * pair: the {@code aws} CLI and boto3 (script {@code boto3_sqs_smoke.py}) create a queue, send,
 * long-poll, delete, read the queue's attributes and delete the queue. Each is skipped when its
 * client is not installed or predates SQS's JSON protocol (November 2023; queue-service does not
 * speak the older query protocol): Debian 12's awscli 2.9 and python3-boto3 1.26 are such.
 */
class SqsClientsIT {

  @Test
  void awsCliSendsReceivesAndDeletesThroughTheGateway() throws Exception {
    assumeTrue(AwsCliIT.onPath("aws"), "awscli is not installed");
    assumeTrue(awsCliSpeaksJson(), "this awscli sends SQS's query protocol only");
    Cumulus cumulus = Cumulus.get();
    Api.Answer instance = cumulus.newQueueInstance(new Api(cumulus.viaGateway()), "cli-jobs");
    Path work = Files.createTempDirectory("awscli-sqs");
    AwsCliIT.Aws aws = AwsCliIT.Aws.forKeyPair(cumulus, instance, "/sqs", work);

    // queue-service learns of the instance from Kafka.
    aws.runUntilOk("sqs", "create-queue", "--queue-name", "orders");
    String url =
        aws.run(
                "sqs",
                "create-queue",
                "--queue-name",
                "orders",
                "--query",
                "QueueUrl",
                "--output",
                "text")
            .strip();
    assertThat(url).isEqualTo(cumulus.gateway.baseUrl() + "/sqs/" + instance.at("id") + "/orders");

    String sent =
        aws.run(
            "sqs",
            "send-message",
            "--queue-url",
            url,
            "--message-body",
            "hello cli",
            "--message-attributes",
            "{\"priority\":{\"DataType\":\"String\",\"StringValue\":\"high\"}}");
    assertThat(sent).contains("\"MD5OfMessageBody\"").contains("\"MessageId\"");
    String received =
        aws.run(
            "sqs",
            "receive-message",
            "--queue-url",
            url,
            "--wait-time-seconds",
            "20",
            "--message-attribute-names",
            "All",
            "--query",
            "Messages[0].[Body,MessageAttributes.priority.StringValue,ReceiptHandle]",
            "--output",
            "text");
    String[] fields = received.strip().split("\t");
    assertThat(fields).hasSize(3);
    assertThat(fields[0]).isEqualTo("hello cli");
    assertThat(fields[1]).isEqualTo("high");
    aws.run("sqs", "delete-message", "--queue-url", url, "--receipt-handle", fields[2]);

    // A long poll on the empty queue returns as soon as a message is sent, not after its 20 s.
    Instant polled = Instant.now();
    CompletableFuture<String> poll =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return aws.run(
                    "sqs",
                    "receive-message",
                    "--queue-url",
                    url,
                    "--wait-time-seconds",
                    "20",
                    "--query",
                    "Messages[].Body",
                    "--output",
                    "text");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(2000); // the CLI starts and begins to wait
    aws.run("sqs", "send-message", "--queue-url", url, "--message-body", "wake up");
    assertThat(poll.get(30, TimeUnit.SECONDS).strip()).isEqualTo("wake up");
    assertThat(Duration.between(polled, Instant.now())).isLessThan(Duration.ofSeconds(15));

    String attributes =
        aws.run(
            "sqs",
            "get-queue-attributes",
            "--queue-url",
            url,
            "--attribute-names",
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "QueueArn");
    assertThat(attributes)
        .contains("\"ApproximateNumberOfMessages\": \"0\"")
        .contains("\"ApproximateNumberOfMessagesNotVisible\": \"1\"") // "wake up", in flight
        .contains("\"QueueArn\": \"arn:aws:sqs:us-east-1:" + instance.at("id") + ":orders\"");

    aws.run("sqs", "delete-queue", "--queue-url", url);
    assertThat(aws.run("sqs", "list-queues")).doesNotContain("orders");
  }

  @Test
  void boto3SendsReceivesAndDeletesThroughTheGateway() throws Exception {
    Optional<String> python = Boto3IT.pythonWithBoto3();
    assumeTrue(python.isPresent(), "no python3 with boto3");
    assumeTrue(
        exitsZero(
            python.get(),
            "-c",
            "import botocore.session as s;"
                + " assert s.get_session().get_service_model('sqs').metadata['protocol'] == 'json'"),
        "this boto3 sends SQS's query protocol only");
    Cumulus cumulus = Cumulus.get();
    Api.Answer instance = cumulus.newQueueInstance(new Api(cumulus.viaGateway()), "boto3-jobs");
    Path work = Files.createTempDirectory("boto3-sqs");
    Map<String, String> env = new HashMap<>(AwsCliIT.Aws.keyPairEnvironment(instance));
    env.put("SQS_ENDPOINT", cumulus.gateway.baseUrl() + "/sqs");
    env.put("QUEUE", "boto3-orders");
    String output = Boto3IT.runScript(python.get(), "boto3_sqs_smoke.py", work, env);
    assertThat(output).contains("boto3 sqs OK");
  }

  /** Whether the CLI's ListQueues (to a closed port: only its debug log matters) is JSON. */
  private static boolean awsCliSpeaksJson() throws Exception {
    ProcessBuilder probe =
        new ProcessBuilder(
                "aws",
                "--debug",
                "--cli-connect-timeout",
                "1",
                "--endpoint-url",
                "http://127.0.0.1:9",
                "sqs",
                "list-queues")
            .redirectErrorStream(true);
    probe
        .environment()
        .putAll(
            Map.of(
                "AWS_ACCESS_KEY_ID", "probe",
                "AWS_SECRET_ACCESS_KEY", "probe",
                "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_MAX_ATTEMPTS", "1",
                "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
    Process process = probe.start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(30, TimeUnit.SECONDS);
    return log.contains("application/x-amz-json-1.0");
  }

  private static boolean exitsZero(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
