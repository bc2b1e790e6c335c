package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.expression.Ast;
import dev.cumulus.database.nosql.domain.expression.ExpressionAttributes;
import dev.cumulus.database.nosql.domain.expression.Parser;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The expressions of one request (or of one TransactItems element), parsed against its
 * ExpressionAttributeNames/Values; {@link #done()} then refuses unused names and values.
 */
final class Expressions {

  private final JsonNode request;
  private final ExpressionAttributes attributes;

  Expressions(JsonNode request) {
    this.request = request;
    this.attributes =
        new ExpressionAttributes(
            Fields.stringMap(request, "ExpressionAttributeNames"),
            Fields.valueMap(request, "ExpressionAttributeValues"));
  }

  Ast.Condition condition(String member) {
    String text = Fields.text(request, member);
    return text == null ? null : Parser.condition(text, member, attributes);
  }

  Ast.Update update() {
    String text = Fields.text(request, "UpdateExpression");
    return text == null ? null : Parser.update(text, attributes);
  }

  /** ProjectionExpression, or the legacy AttributesToGet; null for every attribute. */
  List<Ast.Path> projection() {
    String text = Fields.text(request, "ProjectionExpression");
    JsonNode legacy = Fields.array(request, "AttributesToGet");
    if (text != null && legacy != null) {
      throw DynamoException.validation(
          "Can not use both expression and non-expression parameters in the same request:"
              + " Non-expression parameters: {AttributesToGet} Expression parameters:"
              + " {ProjectionExpression}");
    }
    if (text != null) {
      return Parser.projection(text, attributes);
    }
    if (legacy != null) {
      List<Ast.Path> paths = new ArrayList<>();
      legacy.forEach(name -> paths.add(new Ast.Path(List.of(name.asString()))));
      return paths;
    }
    return null;
  }

  /** Refuses legacy parameters Cumulus does not implement. */
  void refuseLegacy(String... members) {
    for (String member : members) {
      if (Fields.get(request, member) != null) {
        throw DynamoException.validation(
            "The legacy parameter " + member + " is not supported; use the expression parameters");
      }
    }
  }

  void done() {
    attributes.requireAllUsed();
  }
}
