package dev.cumulus.database.nosql.domain.partiql;

import dev.cumulus.database.nosql.domain.DynamoException;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Entry point: PartiQL text and its parameters to a {@link Statement}. */
public final class Statements {

  private Statements() {}

  /**
   * @param parameters the request's Parameters (AttributeValues), taken by the {@code ?} in order
   */
  public static Statement parse(String text, List<JsonNode> parameters) {
    if (text == null || text.isBlank()) {
      throw malformed("the statement is empty");
    }
    return new Parser(Lexer.tokens(text), parameters).statement();
  }

  static DynamoException malformed(String detail) {
    return DynamoException.validation(
        "Statement wasn't well formed, can't be processed: " + detail);
  }
}
