package dev.cumulus.database.nosql.domain.partiql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.TableSchema;
import dev.cumulus.database.nosql.domain.expression.Conditions;
import dev.cumulus.database.nosql.domain.expression.ExpressionAttributes;
import dev.cumulus.database.nosql.domain.partiql.Translator.DynamoRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** PartiQL statements as the JSON API requests they become, and the hard cases of the grammar. */
class PartiQlTranslationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final TableSchema MUSIC =
      new TableSchema(
          "Music",
          new TableSchema.KeySchema("Artist", "SongTitle"),
          Map.of("Artist", "S", "SongTitle", "S", "Genre", "S"),
          List.of(
              new TableSchema.Index(
                  "by-genre",
                  new TableSchema.KeySchema("Genre", null),
                  "ALL",
                  List.of(),
                  0,
                  0,
                  null)),
          List.of(),
          "PAY_PER_REQUEST",
          0,
          0,
          null,
          Instant.EPOCH,
          null,
          null);

  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static DynamoRequest select(String statement, JsonNode... parameters) {
    return Translator.select(
        (Statement.Select) Statements.parse(statement, List.of(parameters)), MUSIC);
  }

  private static DynamoRequest write(String statement, JsonNode... parameters) {
    return Translator.write(Statements.parse(statement, List.of(parameters)), MUSIC);
  }

  /** Evaluates a translated request's condition member against an item, with the real engine. */
  private static boolean holds(ObjectNode request, String member, JsonNode item) {
    Map<String, String> names = new HashMap<>();
    request
        .path("ExpressionAttributeNames")
        .properties()
        .forEach(e -> names.put(e.getKey(), e.getValue().asString()));
    Map<String, JsonNode> values = new HashMap<>();
    request
        .path("ExpressionAttributeValues")
        .properties()
        .forEach(e -> values.put(e.getKey(), e.getValue()));
    ExpressionAttributes attributes = new ExpressionAttributes(names, values);
    var condition =
        dev.cumulus.database.nosql.domain.expression.Parser.condition(
            request.get(member).asString(), member, attributes);
    return Conditions.test(condition, item);
  }

  @Test
  void anEqualityOnThePartitionKeyMakesAQueryAndTheRestAFilter() {
    DynamoRequest request =
        select(
            "SELECT Artist, \"Album\".\"Title\", Tracks[1] FROM \"Music\""
                + " WHERE Artist = ? AND begins_with(SongTitle, 'Call') AND Year >= 1990"
                + " ORDER BY SongTitle DESC",
            json("{'S':'Acme Band'}"));
    assertThat(request.operation()).isEqualTo("Query");
    ObjectNode body = request.body();
    assertThat(body.get("ScanIndexForward").asBoolean()).isFalse();
    assertThat(body.get("KeyConditionExpression").asString())
        .isEqualTo("(#n0 = :v0) AND (begins_with(#n1, :v1))");
    assertThat(body.get("FilterExpression").asString()).isEqualTo("(#n2 >= :v2)");
    assertThat(body.get("ProjectionExpression").asString()).isEqualTo("#n0, #n3.#n4, #n5[1]");
    assertThat(body.get("ExpressionAttributeNames"))
        .isEqualTo(
            json(
                "{'#n0':'Artist','#n1':'SongTitle','#n2':'Year','#n3':'Album','#n4':'Title',"
                    + "'#n5':'Tracks'}"));
    assertThat(body.get("ExpressionAttributeValues").get(":v0"))
        .isEqualTo(json("{'S':'Acme Band'}"));
  }

  @Test
  void withoutTheKeyASelectScansAndAnIndexUsesItsOwnKey() {
    DynamoRequest scan = select("SELECT * FROM Music WHERE Genre = 'Rock' OR Year IN [1990, 1991]");
    assertThat(scan.operation()).isEqualTo("Scan");
    ObjectNode item =
        (ObjectNode) json("{'Artist':{'S':'a'},'SongTitle':{'S':'t'},'Year':{'N':'1991'}}");
    assertThat(holds(scan.body(), "FilterExpression", item)).isTrue();
    item.set("Year", json("{'N':'1992'}"));
    assertThat(holds(scan.body(), "FilterExpression", item)).isFalse();

    DynamoRequest index = select("SELECT * FROM \"Music\".\"by-genre\" WHERE Genre = 'Rock'");
    assertThat(index.operation()).isEqualTo("Query");
    assertThat(index.body().get("IndexName").asString()).isEqualTo("by-genre");
    assertThatThrownBy(() -> select("SELECT * FROM Music.nope WHERE Genre = 'Rock'"))
        .isInstanceOf(DynamoException.class);
  }

  @Test
  void literalsBecomeAttributeValues() {
    DynamoRequest insert =
        write(
            "INSERT INTO Music VALUE {'Artist': 'It''s Us', 'SongTitle': ?, 'Year': -1.5e3,"
                + " 'Tags': <<'a', 'b'>>, 'Ratings': <<1, 2>>, 'Live': true, 'Notes': null,"
                + " 'Tracks': [1, 'two', {'n': 3}]}",
            json("{'S':'Hello'}"));
    assertThat(insert.operation()).isEqualTo("PutItem");
    ObjectNode item = (ObjectNode) insert.body().get("Item");
    assertThat(item.remove("Artist").get("S").asString()).isEqualTo("It's Us");
    assertThat(item)
        .isEqualTo(
            json(
                "{'SongTitle':{'S':'Hello'},'Year':{'N':'-1.5e3'},"
                    + "'Tags':{'SS':['a','b']},'Ratings':{'NS':['1','2']},'Live':{'BOOL':true},"
                    + "'Notes':{'NULL':true},'Tracks':{'L':[{'N':'1'},{'S':'two'},"
                    + "{'M':{'n':{'N':'3'}}}]}}"));
    assertThat(insert.body().get("ConditionExpression").asString())
        .isEqualTo("attribute_not_exists(#n0)");
  }

  @Test
  void updateNeedsTheWholeKeyAndAnExistingItem() {
    DynamoRequest update =
        write(
            "UPDATE Music SET Plays = Plays + 1, Tracks = list_append(Tracks, ['x'])"
                + " SET Tags = set_add(Tags, <<'new'>>) REMOVE Old"
                + " WHERE Artist = 'a' AND SongTitle = 't' AND Plays < 10 RETURNING MODIFIED NEW *");
    ObjectNode body = update.body();
    assertThat(update.operation()).isEqualTo("UpdateItem");
    assertThat(body.get("Key")).isEqualTo(json("{'Artist':{'S':'a'},'SongTitle':{'S':'t'}}"));
    assertThat(body.get("UpdateExpression").asString())
        .isEqualTo("SET #n0 = #n0 + :v0, #n1 = list_append(#n1, :v1) REMOVE #n3 ADD #n2 :v2");
    assertThat(body.get("ReturnValues").asString()).isEqualTo("UPDATED_NEW");
    ObjectNode item =
        (ObjectNode) json("{'Artist':{'S':'a'},'SongTitle':{'S':'t'},'Plays':{'N':'3'}}");
    assertThat(holds(body, "ConditionExpression", item)).isTrue();
    assertThat(holds(body, "ConditionExpression", json("{}"))).isFalse();

    assertThatThrownBy(() -> write("UPDATE Music SET x = 1 WHERE Artist = 'a'"))
        .isInstanceOf(DynamoException.class)
        .hasMessageContaining("mandatory equality on all key attributes");
  }

  @Test
  void isMissingAndNotAreConditions() {
    DynamoRequest delete =
        write(
            "DELETE FROM Music WHERE 'a' = Artist AND SongTitle = 't'"
                + " AND (Gone IS MISSING OR NOT size(Tracks) > 2) RETURNING ALL OLD *");
    ObjectNode body = delete.body();
    assertThat(body.get("Key")).isEqualTo(json("{'Artist':{'S':'a'},'SongTitle':{'S':'t'}}"));
    assertThat(holds(body, "ConditionExpression", json("{'Tracks':{'L':[{'N':'1'}]}}"))).isTrue();
    assertThat(
            holds(
                body,
                "ConditionExpression",
                json("{'Gone':{'S':'x'},'Tracks':{'L':[{'N':'1'},{'N':'2'},{'N':'3'}]}}")))
        .isFalse();
  }

  @Test
  void malformedStatementsAreValidationErrors() {
    for (String statement :
        List.of(
            "",
            "SELEC * FROM Music",
            "SELECT * FROM Music WHERE",
            "SELECT * FROM Music WHERE Artist = 'unterminated",
            "INSERT INTO Music VALUE 'not a map'",
            "UPDATE Music WHERE Artist = 'a'",
            "SELECT * FROM Music WHERE Artist = 'a' extra",
            "DELETE FROM Music WHERE Artist = 'a' AND SongTitle = 't' RETURNING ALL NEW *",
            "SELECT * FROM Music WHERE x = <<'a', 1>>",
            "SELECT * FROM Music WHERE Tracks[x] = 1",
            "SELECT * FROM Music WHERE a = #")) {
      assertThatThrownBy(() -> write(statement).body())
          .as(statement)
          .isInstanceOfSatisfying(
              DynamoException.class, e -> assertThat(e.type()).isEqualTo("ValidationException"));
    }
    assertThatThrownBy(() -> select("SELECT * FROM Music WHERE Artist = ?"))
        .hasMessage("Number of parameters in request and statement don't match.");
    assertThatThrownBy(() -> select("SELECT * FROM Music", json("{'S':'x'}")))
        .hasMessage("Number of parameters in request and statement don't match.");
  }
}
