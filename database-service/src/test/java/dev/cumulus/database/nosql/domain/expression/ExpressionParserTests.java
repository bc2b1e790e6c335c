package dev.cumulus.database.nosql.domain.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumulus.database.nosql.domain.DynamoException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExpressionParserTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String text) {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static final JsonNode ITEM =
      json(
          "{'id':{'S':'u1'},'age':{'N':'30'},'nick':{'S':'Ann'},'tags':{'SS':['a','b']},"
              + "'address':{'M':{'city':{'S':'Oslo'},'zip':{'N':'150'}}},"
              + "'scores':{'L':[{'N':'1'},{'N':'2'},{'M':{'deep':{'S':'x'}}}]},"
              + "'bin':{'B':'AQID'},'nothing':{'NULL':true},'flag':{'BOOL':true}}");

  private static boolean test(
      String expression, Map<String, String> names, Map<String, JsonNode> values) {
    ExpressionAttributes attributes = new ExpressionAttributes(names, values);
    Ast.Condition condition = Parser.condition(expression, "ConditionExpression", attributes);
    attributes.requireAllUsed();
    return Conditions.test(condition, ITEM);
  }

  private static boolean test(String expression, Map<String, JsonNode> values) {
    return test(expression, Map.of(), values);
  }

  @Test
  void precedenceIsNotThenAndThenOr() {
    Map<String, JsonNode> v = Map.of(":a", json("{'N':'30'}"), ":n", json("{'S':'Bob'}"));
    // OR binds weaker than AND: true OR (false AND false).
    assertThat(test("age = :a OR nick = :n AND nick = :n", v)).isTrue();
    assertThat(test("(age = :a OR nick = :n) AND nick = :n", v)).isFalse();
    assertThat(test("NOT nick = :n AND age = :a", v)).isTrue();
    assertThat(test("not (age = :a)", Map.of(":a", json("{'N':'30.0'}")))).isFalse();
  }

  @Test
  void nestedPathsListIndexesAndNames() {
    Map<String, String> names = Map.of("#a", "address", "#c", "city", "#s", "scores");
    assertThat(
            test(
                "#a.#c = :city AND #s[2].deep = :x AND #s[0] < #s[1]",
                names,
                Map.of(":city", json("{'S':'Oslo'}"), ":x", json("{'S':'x'}"))))
        .isTrue();
    assertThat(test("attribute_not_exists(scores[7])", Map.of())).isTrue();
    assertThat(test("attribute_exists(address.zip)", Map.of())).isTrue();
  }

  @Test
  void functions() {
    assertThat(
            test(
                "size(tags) = :two AND size(nick) = :three",
                Map.of(":two", json("{'N':'2'}"), ":three", json("{'N':'3'}"))))
        .isTrue();
    assertThat(test("size(scores) > :two", Map.of(":two", json("{'N':'2'}")))).isTrue();
    assertThat(test("attribute_type(tags, :t)", Map.of(":t", json("{'S':'SS'}")))).isTrue();
    assertThat(test("attribute_type(nothing, :t)", Map.of(":t", json("{'S':'NULL'}")))).isTrue();
    assertThat(
            test(
                "contains(tags, :b) AND contains(nick, :sub)",
                Map.of(":b", json("{'S':'b'}"), ":sub", json("{'S':'nn'}"))))
        .isTrue();
    assertThat(test("contains(scores, :one)", Map.of(":one", json("{'N':'1'}")))).isTrue();
    assertThat(
            test(
                "begins_with(nick, :p) AND begins_with(bin, :b)",
                Map.of(":p", json("{'S':'An'}"), ":b", json("{'B':'AQ=='}"))))
        .isTrue();
    assertThat(test("age IN (:x, :y)", Map.of(":x", json("{'N':'1'}"), ":y", json("{'N':'3e1'}"))))
        .isTrue();
    assertThat(
            test(
                "age BETWEEN :lo AND :hi",
                Map.of(":lo", json("{'N':'29'}"), ":hi", json("{'N':'31'}"))))
        .isTrue();
    assertThat(test("age <> :s", Map.of(":s", json("{'S':'30'}")))).isTrue();
    assertThat(test("absent <> :s", Map.of(":s", json("{'S':'30'}")))).isTrue();
    assertThat(test("age < :s", Map.of(":s", json("{'S':'30'}")))).isFalse();
  }

  @Test
  void reservedWordsNeedPlaceholders() {
    assertThatThrownBy(() -> test("status = :v", Map.of(":v", json("{'S':'x'}"))))
        .isInstanceOf(DynamoException.class)
        .hasMessage(
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword:"
                + " status");
    assertThat(test("#s = :v", Map.of("#s", "nick"), Map.of(":v", json("{'S':'Ann'}")))).isTrue();
  }

  @Test
  void syntaxAndReferenceErrors() {
    assertThatThrownBy(() -> test("age = ", Map.of()))
        .hasMessageStartingWith("Invalid ConditionExpression: Syntax error; token: \"<EOF>\"");
    assertThatThrownBy(() -> test("age == :a", Map.of(":a", json("{'N':'1'}"))))
        .hasMessageStartingWith("Invalid ConditionExpression: Syntax error; token: \"=\"");
    assertThatThrownBy(() -> test("age = :missing", Map.of()))
        .hasMessage(
            "An expression attribute value used in expression is not defined; attribute value:"
                + " :missing");
    assertThatThrownBy(() -> test("#x = :a", Map.of(), Map.of(":a", json("{'N':'1'}"))))
        .hasMessageContaining("attribute name: #x");
    assertThatThrownBy(
            () -> test("age = :a", Map.of(":a", json("{'N':'1'}"), ":b", json("{'N':'2'}"))))
        .hasMessage(
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}");
    assertThatThrownBy(() -> test("age $ :a", Map.of(":a", json("{'N':'1'}"))))
        .hasMessageStartingWith("Invalid ConditionExpression: Invalid character encountered");
    assertThatThrownBy(() -> test("nofunc(age)", Map.of()))
        .hasMessage("Invalid ConditionExpression: Invalid function name; function: nofunc");
    assertThatThrownBy(() -> test("attribute_exists(age, age)", Map.of()))
        .hasMessageContaining("Incorrect number of operands");
    assertThatThrownBy(() -> test("", Map.of())).hasMessageContaining("can not be empty");
  }

  @Test
  void updateExpressions() {
    ExpressionAttributes attributes =
        new ExpressionAttributes(
            Map.of("#n", "nick"),
            Map.of(
                ":one", json("{'N':'1'}"),
                ":more", json("{'L':[{'N':'9'}]}"),
                ":tag", json("{'SS':['c','a']}"),
                ":city", json("{'S':'Bergen'}"),
                ":def", json("{'N':'100'}")));
    Ast.Update update =
        Parser.update(
            "SET age = age + :one, scores = list_append(scores, :more), address.city = :city,"
                + " visits = if_not_exists(visits, :def) "
                + "remove #n, scores[0] ADD tags :tag",
            attributes);
    attributes.requireAllUsed();
    JsonNode after = Updates.apply(update, ITEM);
    assertThat(after.get("age")).isEqualTo(json("{'N':'31'}"));
    assertThat(after.get("nick")).isNull();
    assertThat(after.at("/address/M/city/S").stringValue()).isEqualTo("Bergen");
    assertThat(after.get("visits")).isEqualTo(json("{'N':'100'}"));
    // list_append reads the old list; REMOVE scores[0] then drops its first element.
    assertThat(after.at("/scores/L").size()).isEqualTo(3);
    assertThat(after.at("/scores/L/2")).isEqualTo(json("{'N':'9'}"));
    assertThat(after.get("tags")).isEqualTo(json("{'SS':['a','b','c']}"));

    ExpressionAttributes drop =
        new ExpressionAttributes(Map.of(), Map.of(":drop", json("{'SS':['b','z']}")));
    JsonNode dropped = Updates.apply(Parser.update("DELETE tags :drop", drop), ITEM);
    assertThat(dropped.get("tags")).isEqualTo(json("{'SS':['a']}"));
  }

  @Test
  void updateErrors() {
    ExpressionAttributes values =
        new ExpressionAttributes(Map.of(), Map.of(":v", json("{'N':'1'}")));
    assertThatThrownBy(() -> Parser.update("SET a = :v SET b = :v", values))
        .hasMessage(
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update"
                + " expression;");
    assertThatThrownBy(() -> Updates.paths(Parser.update("SET a = :v, a.b = :v", values)))
        .hasMessageContaining("Two document paths overlap with each other");
    assertThatThrownBy(() -> Updates.apply(Parser.update("SET a = absent + :v", values), ITEM))
        .hasMessage(
            "The provided expression refers to an attribute that does not exist in the item");
    assertThatThrownBy(() -> Updates.apply(Parser.update("SET x.y = :v", values), ITEM))
        .hasMessage("The document path provided in the update expression is invalid for update");
    assertThatThrownBy(() -> Updates.apply(Parser.update("SET a = nick + :v", values), ITEM))
        .hasMessageContaining("Incorrect operand type for operator or function");
  }

  @Test
  void projections() {
    ExpressionAttributes none = ExpressionAttributes.none();
    JsonNode projected =
        Projections.project(ITEM, Parser.projection("id, address.city, scores[2].deep", none));
    assertThat(projected)
        .isEqualTo(
            json(
                "{'id':{'S':'u1'},'address':{'M':{'city':{'S':'Oslo'}}},"
                    + "'scores':{'L':[{'M':{'deep':{'S':'x'}}}]}}"));
  }
}
