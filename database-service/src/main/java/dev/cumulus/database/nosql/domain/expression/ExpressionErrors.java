package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.DynamoException;

/** DynamoDB's ValidationException messages for one expression parameter. */
record ExpressionErrors(String parameter) {

  DynamoException invalid(String message) {
    return DynamoException.validation("Invalid " + parameter + ": " + message);
  }

  DynamoException syntax(String token, String text, int position) {
    int from = Math.max(0, position - 10);
    int to = Math.min(text.length(), position + token.length() + 10);
    return invalid(
        "Syntax error; token: \""
            + token
            + "\", near: \""
            + text.substring(from, to).strip()
            + "\"");
  }

  DynamoException invalidCharacter(char c, String text, int position) {
    return invalid("Invalid character encountered; token: \"" + c + "\", near: \"" + text + "\"");
  }
}
