package dev.cumulus.database.nosql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Seed 000's "DynamoDB-like NoSQL Service" examples, with their exact bodies, and bad input. */
class NoSqlSeedIT extends NoSqlFixture {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static final String CREATE_TABLE =
      """
      {
        "tableName": "users",
        "keySchema": [
          {
            "attributeName": "id",
            "keyType": "HASH"
          }
        ],
        "attributeDefinitions": [
          {
            "attributeName": "id",
            "attributeType": "S"
          }
        ],
        "provisionedThroughput": {
          "readCapacityUnits": 5,
          "writeCapacityUnits": 5
        }
      }
      """;

  static final String PUT_ITEM =
      """
      {
        "item": {
          "id": {"S": "user123"},
          "name": {"S": "John Doe"},
          "email": {"S": "john@example.com"},
          "age": {"N": "30"},
          "active": {"BOOL": true}
        }
      }
      """;

  static final String QUERY =
      """
      {
        "keyConditions": {
          "id": {
            "attributeValueList": [{"S": "user123"}],
            "comparisonOperator": "EQ"
          }
        },
        "limit": 10
      }
      """;

  static final String SCAN =
      """
      {
        "limit": 20,
        "filterExpression": "attribute_exists(active)"
      }
      """;

  @Test
  void everySeedExample() {
    TestInstance db = newInstance();
    JsonNode created = send(db, HttpMethod.POST, "/tables", CREATE_TABLE, 201);
    assertThat(created.path("tableName").stringValue()).isEqualTo("users");
    assertThat(created.path("tableStatus").stringValue()).isEqualTo("ACTIVE");
    assertThat(created.at("/keySchema/0/attributeName").stringValue()).isEqualTo("id");
    assertThat(created.at("/provisionedThroughput/readCapacityUnits").asInt()).isEqualTo(5);

    JsonNode list = send(db, HttpMethod.GET, "/tables", null, 200);
    assertThat(list.path("count").asInt()).isEqualTo(1);
    assertThat(list.at("/tables/0/tableName").stringValue()).isEqualTo("users");

    JsonNode details = send(db, HttpMethod.GET, "/tables/users", null, 200);
    assertThat(details.at("/attributeDefinitions/0/attributeType").stringValue()).isEqualTo("S");
    assertThat(details.path("itemCount").asLong()).isZero();

    JsonNode put = send(db, HttpMethod.POST, "/tables/users/items", PUT_ITEM, 201);
    JsonNode expected = JSON.readTree(PUT_ITEM).get("item");
    assertThat(put.get("item")).isEqualTo(expected);

    JsonNode got = send(db, HttpMethod.GET, "/tables/users/items/user123", null, 200);
    assertThat(got.get("item")).isEqualTo(expected);

    JsonNode query = send(db, HttpMethod.POST, "/tables/users/query", QUERY, 200);
    assertThat(query.path("count").asInt()).isEqualTo(1);
    assertThat(query.at("/items/0")).isEqualTo(expected);

    send(db, HttpMethod.POST, "/tables/users/items", "{\"item\":{\"id\":{\"S\":\"u2\"}}}", 201);
    JsonNode scan = send(db, HttpMethod.POST, "/tables/users/scan", SCAN, 200);
    assertThat(scan.path("count").asInt()).isEqualTo(1);
    assertThat(scan.path("scannedCount").asInt()).isEqualTo(2);
    assertThat(scan.at("/items/0/id/S").stringValue()).isEqualTo("user123");

    JsonNode deleted = send(db, HttpMethod.DELETE, "/tables/users/items/user123", null, 200);
    assertThat(deleted.get("item")).isEqualTo(expected);
    JsonNode gone = send(db, HttpMethod.GET, "/tables/users/items/user123", null, 404);
    assertThat(gone.at("/error/code").stringValue()).isEqualTo("ResourceNotFoundException");
    assertThat(send(db, HttpMethod.GET, "/tables/users", null, 200).path("itemCount").asLong())
        .isEqualTo(1);
  }

  @Test
  void tenantsAndInstancesAreIsolated() {
    TestInstance mine = newInstance();
    TestInstance theirs = newInstance();
    TestInstance sibling = newInstance(mine.tenant());
    send(mine, HttpMethod.POST, "/tables", CREATE_TABLE, 201);
    send(mine, HttpMethod.POST, "/tables/users/items", PUT_ITEM, 201);

    // Another tenant's token on my instance's path.
    int status =
        request(HttpMethod.GET, mine.base() + "/tables/users/items/user123", theirs.token(), null)
            .returnResult(byte[].class)
            .getStatus()
            .value();
    assertThat(status).isIn(403, 404);
    // My own other instance does not see the table.
    JsonNode missing = send(sibling, HttpMethod.GET, "/tables/users", null, 404);
    assertThat(missing.at("/error/code").stringValue()).isEqualTo("ResourceNotFoundException");
    assertThat(send(sibling, HttpMethod.GET, "/tables", null, 200).path("count").asInt()).isZero();
    // Another tenant's instance path with my token.
    int foreign =
        request(HttpMethod.GET, theirs.base() + "/tables", mine.token(), null)
            .returnResult(byte[].class)
            .getStatus()
            .value();
    assertThat(foreign).isIn(403, 404);
  }

  @Test
  void badInputIsA4xxInTheEnvelope() {
    TestInstance db = newInstance();
    send(db, HttpMethod.POST, "/tables", CREATE_TABLE, 201);
    assertError(db, HttpMethod.POST, "/tables", CREATE_TABLE, 409, "ResourceInUseException");
    assertError(
        db, HttpMethod.POST, "/tables", "{\"tableName\":\"x\"}", 400, "ValidationException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables",
        CREATE_TABLE.replace("\"users\"", "\"t2\"").replace("\"S\"", "\"X\""),
        400,
        "ValidationException");
    assertError(db, HttpMethod.POST, "/tables", "{not json", 400, null);
    assertError(
        db, HttpMethod.POST, "/tables/users/items", "{\"item\":\"x\"}", 400, "ValidationException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/items",
        "{\"item\":{\"id\":{\"N\":\"1\"}}}",
        400,
        "ValidationException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/items",
        "{\"item\":{\"name\":{\"S\":\"no key\"}}}",
        400,
        "ValidationException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/items",
        "{\"item\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"abc\"}}}",
        400,
        "ValidationException");
    assertError(db, HttpMethod.POST, "/tables/nope/query", QUERY, 404, "ResourceNotFoundException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/scan",
        "{\"filterExpression\":\"attribute_exists(\"}",
        400,
        "ValidationException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/query",
        "{\"keyConditions\":{\"id\":{\"attributeValueList\":[{\"N\":\"1\"}],\"comparisonOperator\":\"EQ\"}}}",
        400,
        "ValidationException");
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/scan",
        "{\"limit\":\"many\"}",
        400,
        "ValidationException");
    assertError(
        db, HttpMethod.POST, "/tables/users/scan", "{\"limit\":0}", 400, "ValidationException");
    send(db, HttpMethod.POST, "/tables/users/items", PUT_ITEM, 201);
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/items",
        PUT_ITEM.replaceFirst("\\{", "{\"conditionExpression\": \"attribute_not_exists(id)\","),
        409,
        "ConditionalCheckFailedException");
    String large = "x".repeat(410 * 1024);
    assertError(
        db,
        HttpMethod.POST,
        "/tables/users/items",
        "{\"item\":{\"id\":{\"S\":\"big\"},\"data\":{\"S\":\"" + large + "\"}}}",
        400,
        "ValidationException");
  }

  private void assertError(
      TestInstance db, HttpMethod method, String path, String body, int status, String code) {
    JsonNode error = send(db, method, path, body, status);
    assertThat(error.at("/error/message").isMissingNode()).isFalse();
    if (code != null) {
      assertThat(error.at("/error/code").stringValue()).isEqualTo(code);
    }
  }

  private JsonNode send(TestInstance db, HttpMethod method, String path, String body, int status) {
    byte[] response =
        request(method, db.base() + path, db.token(), body)
            .expectStatus()
            .isEqualTo(status)
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    return response == null ? JSON.missingNode() : JSON.readTree(response);
  }

  private WebTestClient.ResponseSpec request(
      HttpMethod method, String uri, String token, String body) {
    WebTestClient.RequestBodySpec spec =
        http.mutate()
            .codecs(c -> c.defaultCodecs().maxInMemorySize(2 * 1024 * 1024))
            .build()
            .method(method)
            .uri(uri)
            .header("Authorization", "Bearer " + token);
    return body == null
        ? spec.exchange()
        : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
  }

  static long count(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).count();
  }
}
