package dev.cumulus.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Stock DynamoDB clients against the gateway's {@code /dynamodb} endpoint with a nosqldatabase
 * instance's access key pair: the {@code aws} CLI and boto3 (script {@code boto3_dynamo_smoke.py})
 * create a table, put, get, query, scan with a filter, update with a condition and delete the
 * table, each checked in the client's own output. Skipped when the client is not installed.
 */
class DynamoClientsIT {

  private static final String KEYS = "{\"customer\":{\"S\":\"c1\"},\"seq\":{\"N\":\"%d\"}}";

  @Test
  void awsCliCreatesPutsQueriesUpdatesAndDeletesThroughTheGateway() throws Exception {
    assumeTrue(AwsCliIT.onPath("aws"), "awscli is not installed");
    Cumulus cumulus = Cumulus.get();
    Api.Answer instance = cumulus.newNoSqlInstance(new Api(cumulus.viaGateway()), "cli-orders");
    AwsCliIT.Aws aws =
        AwsCliIT.Aws.forKeyPair(
            cumulus, instance, "/dynamodb", Files.createTempDirectory("awscli-dynamo"));

    // database-service learns of the instance from Kafka.
    aws.runUntilOk("dynamodb", "list-tables");
    String created =
        aws.run(
            "dynamodb",
            "create-table",
            "--table-name",
            "orders",
            "--attribute-definitions",
            "AttributeName=customer,AttributeType=S",
            "AttributeName=seq,AttributeType=N",
            "--key-schema",
            "AttributeName=customer,KeyType=HASH",
            "AttributeName=seq,KeyType=RANGE",
            "--billing-mode",
            "PAY_PER_REQUEST");
    assertThat(created)
        .contains("\"TableName\": \"orders\"")
        .contains("\"TableStatus\": \"ACTIVE\"")
        .contains("\"BillingMode\": \"PAY_PER_REQUEST\"");
    assertThat(aws.run("dynamodb", "list-tables", "--query", "TableNames", "--output", "text"))
        .isEqualToIgnoringWhitespace("orders");

    for (int seq = 1; seq <= 5; seq++) {
      aws.run(
          "dynamodb",
          "put-item",
          "--table-name",
          "orders",
          "--item",
          "{\"customer\":{\"S\":\"c1\"},\"seq\":{\"N\":\"%d\"},\"state\":{\"S\":\"%s\"}}"
              .formatted(seq, seq % 2 == 0 ? "paid" : "new"),
          "--condition-expression",
          "attribute_not_exists(customer)");
    }
    assertThat(
            aws.runFailing(
                "dynamodb",
                "put-item",
                "--table-name",
                "orders",
                "--item",
                KEYS.formatted(1),
                "--condition-expression",
                "attribute_not_exists(customer)"))
        .contains("ConditionalCheckFailedException")
        .contains("The conditional request failed");

    assertThat(
            aws.run(
                "dynamodb",
                "get-item",
                "--table-name",
                "orders",
                "--key",
                KEYS.formatted(2),
                "--query",
                "Item.state.S",
                "--output",
                "text"))
        .isEqualToIgnoringWhitespace("paid");

    String queried =
        aws.run(
            "dynamodb",
            "query",
            "--table-name",
            "orders",
            "--key-condition-expression",
            "customer = :c AND seq BETWEEN :a AND :b",
            "--expression-attribute-values",
            "{\":c\":{\"S\":\"c1\"},\":a\":{\"N\":\"2\"},\":b\":{\"N\":\"4\"}}",
            "--no-scan-index-forward",
            "--query",
            "Items[].seq.N",
            "--output",
            "text");
    assertThat(queried.strip().split("\\s+")).containsExactly("4", "3", "2");

    String scanned =
        aws.run(
            "dynamodb",
            "scan",
            "--table-name",
            "orders",
            "--filter-expression",
            "#s = :paid",
            "--expression-attribute-names",
            "{\"#s\":\"state\"}",
            "--expression-attribute-values",
            "{\":paid\":{\"S\":\"paid\"}}");
    assertThat(scanned).contains("\"Count\": 2").contains("\"ScannedCount\": 5");

    String updated =
        aws.run(
            "dynamodb",
            "update-item",
            "--table-name",
            "orders",
            "--key",
            KEYS.formatted(1),
            "--update-expression",
            "SET #s = :paid ADD visits :one",
            "--condition-expression",
            "#s = :new",
            "--expression-attribute-names",
            "{\"#s\":\"state\"}",
            "--expression-attribute-values",
            "{\":paid\":{\"S\":\"paid\"},\":new\":{\"S\":\"new\"},\":one\":{\"N\":\"1\"}}",
            "--return-values",
            "ALL_NEW");
    assertThat(updated).contains("\"S\": \"paid\"").contains("\"visits\"");
    // The same update again: the item is no longer "new".
    assertThat(
            aws.runFailing(
                "dynamodb",
                "update-item",
                "--table-name",
                "orders",
                "--key",
                KEYS.formatted(1),
                "--update-expression",
                "SET #s = :paid",
                "--condition-expression",
                "#s = :new",
                "--expression-attribute-names",
                "{\"#s\":\"state\"}",
                "--expression-attribute-values",
                "{\":paid\":{\"S\":\"paid\"},\":new\":{\"S\":\"new\"}}"))
        .contains("ConditionalCheckFailedException");

    assertThat(aws.runFailing("dynamodb", "describe-table", "--table-name", "no-such-table"))
        .contains("ResourceNotFoundException");
    aws.run("dynamodb", "delete-table", "--table-name", "orders");
    assertThat(aws.run("dynamodb", "list-tables")).doesNotContain("orders");
  }

  @Test
  void boto3CreatesPutsQueriesUpdatesAndDeletesThroughTheGateway() throws Exception {
    Optional<String> python = Boto3IT.pythonWithBoto3();
    assumeTrue(python.isPresent(), "no python3 with boto3");
    Cumulus cumulus = Cumulus.get();
    Api.Answer instance = cumulus.newNoSqlInstance(new Api(cumulus.viaGateway()), "boto3-orders");
    Path work = Files.createTempDirectory("boto3-dynamo");
    Map<String, String> env = new HashMap<>(AwsCliIT.Aws.keyPairEnvironment(instance));
    env.put("DYNAMODB_ENDPOINT", cumulus.gateway.baseUrl() + "/dynamodb");
    String output = Boto3IT.runScript(python.get(), "boto3_dynamo_smoke.py", work, env);
    assertThat(output).contains("boto3 dynamodb OK");
  }
}
