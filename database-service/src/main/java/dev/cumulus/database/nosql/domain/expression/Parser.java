package dev.cumulus.database.nosql.domain.expression;

import dev.cumulus.database.nosql.domain.expression.Ast.And;
import dev.cumulus.database.nosql.domain.expression.Ast.Arithmetic;
import dev.cumulus.database.nosql.domain.expression.Ast.Between;
import dev.cumulus.database.nosql.domain.expression.Ast.Compare;
import dev.cumulus.database.nosql.domain.expression.Ast.Condition;
import dev.cumulus.database.nosql.domain.expression.Ast.Function;
import dev.cumulus.database.nosql.domain.expression.Ast.IfNotExists;
import dev.cumulus.database.nosql.domain.expression.Ast.In;
import dev.cumulus.database.nosql.domain.expression.Ast.ListAppend;
import dev.cumulus.database.nosql.domain.expression.Ast.Not;
import dev.cumulus.database.nosql.domain.expression.Ast.Operand;
import dev.cumulus.database.nosql.domain.expression.Ast.Or;
import dev.cumulus.database.nosql.domain.expression.Ast.Path;
import dev.cumulus.database.nosql.domain.expression.Ast.PathOperand;
import dev.cumulus.database.nosql.domain.expression.Ast.SetAction;
import dev.cumulus.database.nosql.domain.expression.Ast.Size;
import dev.cumulus.database.nosql.domain.expression.Ast.Update;
import dev.cumulus.database.nosql.domain.expression.Ast.ValueAction;
import dev.cumulus.database.nosql.domain.expression.Ast.ValueOperand;
import dev.cumulus.database.nosql.domain.expression.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for DynamoDB's expression grammar (developer guide, "Comparison
 * operator and function reference" and "Update expressions"):
 *
 * <pre>
 * condition  := or
 * or         := and ("OR" and)*
 * and        := not ("AND" not)*
 * not        := "NOT" not | "(" condition ")" | function | operand comparison
 * comparison := comparator operand | "BETWEEN" operand "AND" operand | "IN" "(" operand ("," operand)* ")"
 * operand    := path | ":value" | "size" "(" path ")"
 * path       := element ("." element | "[" digits "]")*   element := name | "#name"
 * update     := (("SET" set ("," set)*) | ("REMOVE" path ("," path)*) | ("ADD" | "DELETE") path ":value" ("," ...)*)+
 * set        := path "=" value     value := term (("+" | "-") term)?
 * term       := operand | "if_not_exists" "(" path "," term ")" | "list_append" "(" term "," term ")"
 * </pre>
 */
public final class Parser {

  private static final Set<String> CONDITION_FUNCTIONS =
      Set.of(
          "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");
  private static final Set<String> CLAUSES = Set.of("SET", "REMOVE", "ADD", "DELETE");

  private final String text;
  private final ExpressionErrors errors;
  private final ExpressionAttributes attributes;
  private final List<Token> tokens;
  private int next;

  private Parser(String text, String parameter, ExpressionAttributes attributes) {
    this.text = text;
    this.errors = new ExpressionErrors(parameter);
    this.attributes = attributes;
    if (text.isBlank()) {
      throw errors.invalid("The expression can not be empty;");
    }
    this.tokens = Tokenizer.tokens(text, errors);
  }

  /** A ConditionExpression, FilterExpression or KeyConditionExpression. */
  public static Condition condition(
      String text, String parameter, ExpressionAttributes attributes) {
    Parser parser = new Parser(text, parameter, attributes);
    Condition condition = parser.or();
    parser.expect(Kind.EOF);
    return condition;
  }

  public static List<Path> projection(String text, ExpressionAttributes attributes) {
    Parser parser = new Parser(text, "ProjectionExpression", attributes);
    List<Path> paths = new ArrayList<>();
    do {
      paths.add(parser.path());
    } while (parser.accept(Kind.COMMA));
    parser.expect(Kind.EOF);
    return paths;
  }

  public static Update update(String text, ExpressionAttributes attributes) {
    Parser parser = new Parser(text, "UpdateExpression", attributes);
    return parser.update();
  }

  // ---- conditions

  private Condition or() {
    Condition left = and();
    while (peek().isKeyword("OR")) {
      next++;
      left = new Or(left, and());
    }
    return left;
  }

  private Condition and() {
    Condition left = not();
    while (peek().isKeyword("AND")) {
      next++;
      left = new And(left, not());
    }
    return left;
  }

  private Condition not() {
    Token token = peek();
    if (token.isKeyword("NOT")) {
      next++;
      return new Not(not());
    }
    if (accept(Kind.LPAREN)) {
      Condition inner = or();
      expect(Kind.RPAREN);
      return inner;
    }
    if (token.is(Kind.NAME) && peek(1).is(Kind.LPAREN)) {
      String name = token.text();
      if (CONDITION_FUNCTIONS.contains(name)) {
        next++;
        return function(name);
      }
      if (!name.equals("size")) {
        throw errors.invalid("Invalid function name; function: " + name);
      }
    }
    return comparison(operand());
  }

  private Condition function(String name) {
    expect(Kind.LPAREN);
    List<Operand> arguments = new ArrayList<>();
    do {
      arguments.add(operand());
    } while (accept(Kind.COMMA));
    expect(Kind.RPAREN);
    int expected = name.startsWith("attribute_") && !name.equals("attribute_type") ? 1 : 2;
    if (arguments.size() != expected) {
      throw errors.invalid(
          "Incorrect number of operands for operator or function; operator or function: "
              + name
              + ", number of operands: "
              + arguments.size());
    }
    if (!(arguments.get(0) instanceof PathOperand)) {
      throw errors.invalid(
          "Operator or function requires a document path; operator or function: " + name);
    }
    return new Function(name, List.copyOf(arguments));
  }

  private Condition comparison(Operand left) {
    Token token = peek();
    if (token.is(Kind.COMPARATOR)) {
      next++;
      return new Compare(left, token.text(), operand());
    }
    if (token.isKeyword("BETWEEN")) {
      next++;
      Operand low = operand();
      if (!peek().isKeyword("AND")) {
        throw errors.syntax(peek().text(), text, peek().position());
      }
      next++;
      return new Between(left, low, operand());
    }
    if (token.isKeyword("IN")) {
      next++;
      expect(Kind.LPAREN);
      List<Operand> candidates = new ArrayList<>();
      do {
        candidates.add(operand());
      } while (accept(Kind.COMMA));
      expect(Kind.RPAREN);
      return new In(left, List.copyOf(candidates));
    }
    throw errors.syntax(token.text(), text, token.position());
  }

  private Operand operand() {
    Token token = peek();
    if (token.is(Kind.VALUE_REF)) {
      next++;
      return new ValueOperand(token.text(), attributes.value(token.text()));
    }
    if (token.is(Kind.NAME) && peek(1).is(Kind.LPAREN)) {
      if (!token.text().equals("size")) {
        throw errors.invalid("Invalid function name; function: " + token.text());
      }
      next += 2;
      Operand argument = operand();
      expect(Kind.RPAREN);
      if (!(argument instanceof PathOperand path)) {
        throw errors.invalid(
            "Operator or function requires a document path; operator or function: size");
      }
      return new Size(path.path());
    }
    return new PathOperand(path());
  }

  private Path path() {
    List<Object> elements = new ArrayList<>();
    elements.add(name());
    while (true) {
      if (accept(Kind.DOT)) {
        elements.add(name());
      } else if (accept(Kind.LBRACKET)) {
        Token index = expect(Kind.NUMBER);
        expect(Kind.RBRACKET);
        try {
          elements.add(Integer.parseInt(index.text()));
        } catch (NumberFormatException e) {
          throw errors.invalid("List index is too large; index: " + index.text());
        }
      } else {
        return new Path(List.copyOf(elements));
      }
    }
  }

  private String name() {
    Token token = peek();
    if (token.is(Kind.NAME_REF)) {
      next++;
      return attributes.name(token.text());
    }
    if (token.is(Kind.NAME)) {
      if (ReservedWords.contains(token.text())) {
        throw errors.invalid(
            "Attribute name is a reserved keyword; reserved keyword: " + token.text());
      }
      next++;
      return token.text();
    }
    throw errors.syntax(token.text(), text, token.position());
  }

  // ---- updates

  private Update update() {
    List<SetAction> set = new ArrayList<>();
    List<Path> remove = new ArrayList<>();
    List<ValueAction> add = new ArrayList<>();
    List<ValueAction> delete = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    while (!peek().is(Kind.EOF)) {
      Token clause = peek();
      String keyword = clause.text().toUpperCase(Locale.ROOT);
      if (!clause.is(Kind.NAME) || !CLAUSES.contains(keyword)) {
        throw errors.syntax(clause.text(), text, clause.position());
      }
      if (seen.contains(keyword)) {
        throw errors.invalid(
            "The \"" + keyword + "\" section can only be used once in an update expression;");
      }
      seen.add(keyword);
      next++;
      do {
        switch (keyword) {
          case "SET" -> {
            Path path = path();
            Token eq = expect(Kind.COMPARATOR);
            if (!eq.text().equals("=")) {
              throw errors.syntax(eq.text(), text, eq.position());
            }
            set.add(new SetAction(path, setValue()));
          }
          case "REMOVE" -> remove.add(path());
          default -> {
            Path path = path();
            Token value = expect(Kind.VALUE_REF);
            ValueOperand operand = new ValueOperand(value.text(), attributes.value(value.text()));
            (keyword.equals("ADD") ? add : delete).add(new ValueAction(path, operand));
          }
        }
      } while (accept(Kind.COMMA));
    }
    if (seen.isEmpty()) {
      throw errors.invalid("The expression can not be empty;");
    }
    return new Update(List.copyOf(set), List.copyOf(remove), List.copyOf(add), List.copyOf(delete));
  }

  private Operand setValue() {
    Operand left = term();
    Token token = peek();
    if (token.is(Kind.PLUS) || token.is(Kind.MINUS)) {
      next++;
      return new Arithmetic(left, token.text().charAt(0), term());
    }
    return left;
  }

  private Operand term() {
    Token token = peek();
    if (token.is(Kind.NAME) && peek(1).is(Kind.LPAREN)) {
      String name = token.text();
      next += 2;
      Operand result;
      switch (name) {
        case "if_not_exists" -> {
          Operand path = term();
          if (!(path instanceof PathOperand p)) {
            throw errors.invalid(
                "Operator or function requires a document path; operator or function:"
                    + " if_not_exists");
          }
          expect(Kind.COMMA);
          result = new IfNotExists(p.path(), term());
        }
        case "list_append" -> {
          Operand first = term();
          expect(Kind.COMMA);
          result = new ListAppend(first, term());
        }
        default -> throw errors.invalid("Invalid function name; function: " + name);
      }
      expect(Kind.RPAREN);
      return result;
    }
    if (token.is(Kind.VALUE_REF)) {
      next++;
      return new ValueOperand(token.text(), attributes.value(token.text()));
    }
    return new PathOperand(path());
  }

  // ---- tokens

  private Token peek() {
    return tokens.get(next);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  private boolean accept(Kind kind) {
    if (peek().is(kind)) {
      next++;
      return true;
    }
    return false;
  }

  private Token expect(Kind kind) {
    Token token = peek();
    if (!token.is(kind)) {
      throw errors.syntax(token.text(), text, token.position());
    }
    next++;
    return token;
  }
}
