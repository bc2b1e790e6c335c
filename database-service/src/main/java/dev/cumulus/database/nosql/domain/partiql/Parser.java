package dev.cumulus.database.nosql.domain.partiql;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.partiql.Lexer.Kind;
import dev.cumulus.database.nosql.domain.partiql.Lexer.Token;
import dev.cumulus.database.nosql.domain.partiql.Statement.Action;
import dev.cumulus.database.nosql.domain.partiql.Statement.Condition;
import dev.cumulus.database.nosql.domain.partiql.Statement.Operand;
import dev.cumulus.database.nosql.domain.partiql.Statement.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recursive-descent parser for the PartiQL subset DynamoDB serves: SELECT, INSERT, UPDATE, DELETE
 * and EXISTS on one table. Literals become AttributeValues as they are read; so do parameters.
 */
final class Parser {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> CONDITION_FUNCTIONS =
      Set.of(
          "begins_with", "contains", "attribute_type", "attribute_exists", "attribute_not_exists");
  private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", "<=", ">", ">=");

  private final List<Token> tokens;
  private final List<JsonNode> parameters;
  private int at;
  private int parameter;

  Parser(List<Token> tokens, List<JsonNode> parameters) {
    this.tokens = tokens;
    this.parameters = parameters == null ? List.of() : parameters;
  }

  Statement statement() {
    Statement statement;
    if (accept("SELECT")) {
      statement = select();
    } else if (accept("INSERT")) {
      statement = insert();
    } else if (accept("UPDATE")) {
      statement = update();
    } else if (accept("DELETE")) {
      statement = delete();
    } else if (accept("EXISTS")) {
      expect("(");
      expect("SELECT");
      statement = new Statement.Exists(select());
      expect(")");
    } else {
      throw Statements.malformed("expected SELECT, INSERT, UPDATE, DELETE or EXISTS");
    }
    if (peek().kind() != Kind.END) {
      throw unexpected();
    }
    if (parameter != parameters.size()) {
      throw DynamoException.validation(
          "Number of parameters in request and statement don't match.");
    }
    return statement;
  }

  private Statement.Select select() {
    List<Path> projection = null;
    if (!accept("*")) {
      projection = new ArrayList<>();
      do {
        projection.add(path());
      } while (accept(","));
    }
    expect("FROM");
    String table = name();
    String index = accept(".") ? name() : null;
    Condition where = accept("WHERE") ? condition() : null;
    Boolean ascending = null;
    if (accept("ORDER")) {
      expect("BY");
      path(); // the sort key; the only order a table or index has
      ascending = !accept("DESC");
      if (ascending) {
        accept("ASC");
      }
    }
    return new Statement.Select(table, index, projection, where, ascending);
  }

  private Statement insert() {
    expect("INTO");
    String table = name();
    expect("VALUE");
    JsonNode value = value();
    if (!value.has("M")) {
      throw Statements.malformed("INSERT's VALUE must be a map, e.g. {'pk': 'a'}");
    }
    return new Statement.Insert(table, value.get("M"));
  }

  private Statement update() {
    String table = name();
    List<Action> actions = new ArrayList<>();
    while (true) {
      if (accept("SET")) {
        do {
          actions.add(assignment());
        } while (accept(","));
      } else if (accept("REMOVE")) {
        do {
          actions.add(new Action.Remove(path()));
        } while (accept(","));
      } else {
        break;
      }
    }
    if (actions.isEmpty()) {
      throw Statements.malformed("UPDATE needs a SET or REMOVE clause");
    }
    expect("WHERE");
    Condition where = condition();
    return new Statement.Update(table, actions, where, returning());
  }

  private Action assignment() {
    Path target = path();
    expect("=");
    Operand value = setValue();
    if (value instanceof Operand.Call call
        && (call.function().equals("set_add") || call.function().equals("set_delete"))) {
      if (call.arguments().size() != 2
          || !(call.arguments().get(0) instanceof Operand.Ref ref)
          || !ref.path().equals(target)) {
        throw Statements.malformed(call.function() + " takes the assigned path and a set");
      }
      return call.function().equals("set_add")
          ? new Action.AddToSet(target, call.arguments().get(1))
          : new Action.DeleteFromSet(target, call.arguments().get(1));
    }
    return new Action.Set(target, value);
  }

  private Operand setValue() {
    Operand left = operand();
    if (peek().is("+") || peek().is("-")) {
      String operator = next().text();
      return new Operand.Arithmetic(left, operator, operand());
    }
    return left;
  }

  private Statement delete() {
    expect("FROM");
    String table = name();
    expect("WHERE");
    Condition where = condition();
    return new Statement.Delete(table, where, returning());
  }

  /** RETURNING ALL|MODIFIED OLD|NEW * as ReturnValues; NONE without the clause. */
  private String returning() {
    if (!accept("RETURNING")) {
      return "NONE";
    }
    boolean all = accept("ALL");
    if (!all) {
      expect("MODIFIED");
    }
    boolean old = accept("OLD");
    if (!old) {
      expect("NEW");
    }
    expect("*");
    return (all ? "ALL_" : "UPDATED_") + (old ? "OLD" : "NEW");
  }

  // conditions: OR over AND over NOT over predicates

  private Condition condition() {
    List<Condition> parts = new ArrayList<>(List.of(conjunction()));
    while (accept("OR")) {
      parts.add(conjunction());
    }
    return parts.size() == 1 ? parts.getFirst() : new Condition.Or(parts);
  }

  private Condition conjunction() {
    List<Condition> parts = new ArrayList<>(List.of(negation()));
    while (accept("AND")) {
      parts.add(negation());
    }
    return parts.size() == 1 ? parts.getFirst() : new Condition.And(parts);
  }

  private Condition negation() {
    return accept("NOT") ? new Condition.Not(negation()) : predicate();
  }

  private Condition predicate() {
    if (accept("(")) {
      Condition inner = condition();
      expect(")");
      return inner;
    }
    Token token = peek();
    if (token.kind() == Kind.WORD
        && CONDITION_FUNCTIONS.contains(token.text().toLowerCase(Locale.ROOT))
        && tokens.get(at + 1).is("(")) {
      next();
      return new Condition.Call(token.text().toLowerCase(Locale.ROOT), arguments());
    }
    Operand left = operand();
    Token operator = peek();
    if (operator.kind() == Kind.SYMBOL && COMPARISONS.contains(operator.text())) {
      next();
      String op = operator.text().equals("!=") ? "<>" : operator.text();
      return new Condition.Compare(left, op, operand());
    }
    if (accept("BETWEEN")) {
      Operand low = operand();
      expect("AND");
      return new Condition.Between(left, low, operand());
    }
    if (accept("IN")) {
      String close = accept("[") ? "]" : null;
      if (close == null) {
        expect("(");
        close = ")";
      }
      List<Operand> candidates = new ArrayList<>();
      do {
        candidates.add(operand());
      } while (accept(","));
      expect(close);
      return new Condition.In(left, candidates);
    }
    if (accept("IS")) {
      boolean negated = accept("NOT");
      if (!(left instanceof Operand.Ref ref)) {
        throw Statements.malformed("IS applies to an attribute path");
      }
      if (accept("MISSING")) {
        return new Condition.Call(
            negated ? "attribute_exists" : "attribute_not_exists", List.of(ref));
      }
      expect("NULL");
      Condition isNull =
          new Condition.Call(
              "attribute_type",
              List.of(ref, new Operand.Value(NODES.objectNode().put("S", "NULL"))));
      return negated ? new Condition.Not(isNull) : isNull;
    }
    throw unexpected();
  }

  private List<Operand> arguments() {
    expect("(");
    List<Operand> arguments = new ArrayList<>();
    if (!accept(")")) {
      do {
        arguments.add(operand());
      } while (accept(","));
      expect(")");
    }
    return arguments;
  }

  // operands

  private Operand operand() {
    Token token = peek();
    if (token.kind() == Kind.WORD && tokens.get(at + 1).is("(") && !isLiteralWord(token.text())) {
      next();
      return new Operand.Call(token.text().toLowerCase(Locale.ROOT), arguments());
    }
    if (token.kind() == Kind.IDENTIFIER
        || (token.kind() == Kind.WORD && !isLiteralWord(token.text()))) {
      return new Operand.Ref(path());
    }
    return new Operand.Value(value());
  }

  private static boolean isLiteralWord(String word) {
    return Set.of("true", "false", "null", "missing").contains(word.toLowerCase(Locale.ROOT));
  }

  private Path path() {
    List<Object> elements = new ArrayList<>();
    elements.add(name());
    while (true) {
      if (peek().is(".") && tokens.get(at + 1).kind() != Kind.END) {
        next();
        elements.add(name());
      } else if (accept("[")) {
        Token index = next();
        if (index.kind() != Kind.NUMBER || !index.text().matches("\\d+")) {
          throw Statements.malformed("a list index must be a whole number");
        }
        elements.add(Integer.parseInt(index.text()));
        expect("]");
      } else {
        return new Path(List.copyOf(elements));
      }
    }
  }

  private String name() {
    Token token = next();
    if (token.kind() == Kind.IDENTIFIER || token.kind() == Kind.WORD) {
      return token.text();
    }
    throw unexpected(token);
  }

  /** A literal or a parameter, as an AttributeValue. */
  private JsonNode value() {
    Token token = next();
    switch (token.kind()) {
      case STRING -> {
        return NODES.objectNode().put("S", token.text());
      }
      case NUMBER -> {
        return NODES.objectNode().put("N", token.text());
      }
      case PARAMETER -> {
        if (parameter >= parameters.size()) {
          throw DynamoException.validation(
              "Number of parameters in request and statement don't match.");
        }
        return parameters.get(parameter++);
      }
      case WORD -> {
        switch (token.text().toLowerCase(Locale.ROOT)) {
          case "true", "false" -> {
            return NODES.objectNode().put("BOOL", Boolean.parseBoolean(token.text()));
          }
          case "null" -> {
            return NODES.objectNode().put("NULL", true);
          }
          default -> throw unexpected(token);
        }
      }
      case SYMBOL -> {
        return switch (token.text()) {
          case "-" -> {
            Token number = next();
            if (number.kind() != Kind.NUMBER) {
              throw unexpected(number);
            }
            yield NODES.objectNode().put("N", "-" + number.text());
          }
          case "[" -> list();
          case "{" -> map();
          case "<<" -> set();
          default -> throw unexpected(token);
        };
      }
      default -> throw unexpected(token);
    }
  }

  private JsonNode list() {
    ArrayNode elements = NODES.arrayNode();
    if (!accept("]")) {
      do {
        elements.add(value());
      } while (accept(","));
      expect("]");
    }
    ObjectNode list = NODES.objectNode();
    list.set("L", elements);
    return list;
  }

  private JsonNode map() {
    ObjectNode members = NODES.objectNode();
    if (!accept("}")) {
      do {
        Token key = next();
        if (key.kind() != Kind.STRING && key.kind() != Kind.IDENTIFIER) {
          throw Statements.malformed("a map key must be a quoted string");
        }
        expect(":");
        members.set(key.text(), value());
      } while (accept(","));
      expect("}");
    }
    ObjectNode map = NODES.objectNode();
    map.set("M", members);
    return map;
  }

  /** {@code <<'a', 'b'>>}: a string set, or a number set when every element is a number. */
  private JsonNode set() {
    List<JsonNode> elements = new ArrayList<>();
    do {
      elements.add(value());
    } while (accept(","));
    expect(">>");
    String type = elements.getFirst().has("N") ? "N" : "S";
    ArrayNode members = NODES.arrayNode();
    for (JsonNode element : elements) {
      if (!element.has(type)) {
        throw Statements.malformed("a set's elements must all be strings or all be numbers");
      }
      members.add(element.get(type).asString());
    }
    ObjectNode set = NODES.objectNode();
    set.set(type + "S", members);
    return set;
  }

  // tokens

  private Token peek() {
    return tokens.get(at);
  }

  private Token next() {
    Token token = tokens.get(at);
    if (token.kind() != Kind.END) {
      at++;
    }
    return token;
  }

  private boolean accept(String symbolOrKeyword) {
    if (peek().is(symbolOrKeyword)) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(String symbolOrKeyword) {
    if (!accept(symbolOrKeyword)) {
      throw Statements.malformed("expected " + symbolOrKeyword + " " + where(peek()));
    }
  }

  private DynamoException unexpected() {
    return unexpected(peek());
  }

  private static DynamoException unexpected(Token token) {
    return Statements.malformed(
        (token.kind() == Kind.END ? "unexpected end of statement" : "unexpected " + token.text())
            + " "
            + where(token));
  }

  private static String where(Token token) {
    return "at position " + (token.position() + 1);
  }
}
