package dev.cumulus.database.nosql.domain.expression;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** The parsed forms of DynamoDB's condition, update and projection expressions. */
public final class Ast {

  private Ast() {}

  /** A document path: names and list indexes, e.g. {@code a.b[2].c}. */
  public record Path(List<Object> elements) {

    public String first() {
      return (String) elements.get(0);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (Object e : elements) {
        if (e instanceof Integer i) {
          out.append('[').append(i).append(']');
        } else {
          out.append(out.isEmpty() ? "" : ".").append(e);
        }
      }
      return out.toString();
    }
  }

  /** Something that has a value: a path, a placeholder value, a function or arithmetic. */
  public sealed interface Operand {}

  public record PathOperand(Path path) implements Operand {}

  public record ValueOperand(String name, JsonNode value) implements Operand {}

  public record Size(Path path) implements Operand {}

  public record IfNotExists(Path path, Operand fallback) implements Operand {}

  public record ListAppend(Operand first, Operand second) implements Operand {}

  public record Arithmetic(Operand left, char operator, Operand right) implements Operand {}

  /** A condition (ConditionExpression, FilterExpression, KeyConditionExpression). */
  public sealed interface Condition {}

  public record Compare(Operand left, String comparator, Operand right) implements Condition {}

  public record Between(Operand value, Operand low, Operand high) implements Condition {}

  public record In(Operand value, List<Operand> candidates) implements Condition {}

  public record And(Condition left, Condition right) implements Condition {}

  public record Or(Condition left, Condition right) implements Condition {}

  public record Not(Condition condition) implements Condition {}

  /** attribute_exists, attribute_not_exists, attribute_type, begins_with, contains. */
  public record Function(String name, List<Operand> arguments) implements Condition {}

  /** An UpdateExpression's actions by clause. */
  public record Update(
      List<SetAction> set, List<Path> remove, List<ValueAction> add, List<ValueAction> delete) {}

  public record SetAction(Path path, Operand value) {}

  public record ValueAction(Path path, ValueOperand value) {}
}
