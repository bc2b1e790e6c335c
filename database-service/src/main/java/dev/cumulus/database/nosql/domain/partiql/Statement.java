package dev.cumulus.database.nosql.domain.partiql;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** A parsed PartiQL statement on one table, with its parameters already in place. */
public sealed interface Statement {

  String table();

  /**
   * {@code SELECT}; {@code projection} null for {@code *}, {@code ascending} null without ORDER BY.
   */
  record Select(
      String table, String index, List<Path> projection, Condition where, Boolean ascending)
      implements Statement {}

  /** {@code INSERT INTO t VALUE {...}}: {@code item} is the map's AttributeValue members. */
  record Insert(String table, JsonNode item) implements Statement {}

  /** {@code UPDATE t SET/REMOVE ... WHERE ...}; {@code returning} a ReturnValues name or NONE. */
  record Update(String table, List<Action> actions, Condition where, String returning)
      implements Statement {}

  /** {@code DELETE FROM t WHERE ...}; {@code returning} ALL_OLD or NONE. */
  record Delete(String table, Condition where, String returning) implements Statement {}

  /** {@code EXISTS(SELECT ...)}: a transaction's condition check. */
  record Exists(Select select) implements Statement {
    @Override
    public String table() {
      return select.table();
    }
  }

  /** A document path: attribute names (String) and list indexes (Integer). */
  record Path(List<Object> elements) {
    public String top() {
      return (String) elements.getFirst();
    }

    public boolean isTop(String attribute) {
      return elements.size() == 1 && elements.getFirst().equals(attribute);
    }
  }

  /** A value in a condition or a SET: a path, an AttributeValue, or a function or sum of them. */
  sealed interface Operand {
    record Ref(Path path) implements Operand {}

    record Value(JsonNode attributeValue) implements Operand {}

    record Call(String function, List<Operand> arguments) implements Operand {}

    record Arithmetic(Operand left, String operator, Operand right) implements Operand {}
  }

  sealed interface Condition {
    record And(List<Condition> parts) implements Condition {}

    record Or(List<Condition> parts) implements Condition {}

    record Not(Condition condition) implements Condition {}

    record Compare(Operand left, String operator, Operand right) implements Condition {}

    record Between(Operand value, Operand low, Operand high) implements Condition {}

    record In(Operand value, List<Operand> candidates) implements Condition {}

    /** begins_with, contains, attribute_type, attribute_exists, attribute_not_exists. */
    record Call(String function, List<Operand> arguments) implements Condition {}
  }

  /** One UPDATE clause. */
  sealed interface Action {
    record Set(Path target, Operand value) implements Action {}

    record Remove(Path target) implements Action {}

    /** {@code SET s = set_add(s, <<...>>)}: DynamoDB's ADD. */
    record AddToSet(Path target, Operand elements) implements Action {}

    /** {@code SET s = set_delete(s, <<...>>)}: DynamoDB's DELETE. */
    record DeleteFromSet(Path target, Operand elements) implements Action {}
  }
}
