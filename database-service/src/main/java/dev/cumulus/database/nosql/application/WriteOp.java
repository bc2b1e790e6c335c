package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.expression.Ast;
import tools.jackson.databind.JsonNode;

/** One write of PutItem, UpdateItem, DeleteItem, a batch or a transaction. */
public sealed interface WriteOp {

  String table();

  /** The condition the existing item must meet, or null. */
  Ast.Condition condition();

  record Put(String table, JsonNode item, Ast.Condition condition) implements WriteOp {}

  /**
   * @param update null: only make sure the item exists
   */
  record Update(String table, JsonNode key, Ast.Update update, Ast.Condition condition)
      implements WriteOp {}

  record Delete(String table, JsonNode key, Ast.Condition condition) implements WriteOp {}

  /** TransactWriteItems' ConditionCheck: writes nothing. */
  record Check(String table, JsonNode key, Ast.Condition condition) implements WriteOp {}
}
