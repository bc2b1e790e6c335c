package dev.cumulus.database.nosql.domain.expression;

import java.util.ArrayList;
import java.util.List;

/** Splits an expression into tokens; the parser gives them meaning. */
final class Tokenizer {

  private Tokenizer() {}

  static List<Token> tokens(String text, ExpressionErrors errors) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (c == '#' || c == ':') {
        i++;
        while (i < text.length() && isNameChar(text.charAt(i))) {
          i++;
        }
        if (i == start + 1) {
          throw errors.syntax(String.valueOf(c), text, start);
        }
        tokens.add(
            new Token(
                c == '#' ? Token.Kind.NAME_REF : Token.Kind.VALUE_REF,
                text.substring(start, i),
                start));
        continue;
      }
      if (Character.isDigit(c)) {
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Token.Kind.NUMBER, text.substring(start, i), start));
        continue;
      }
      if (isNameStart(c)) {
        while (i < text.length() && isNameChar(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(Token.Kind.NAME, text.substring(start, i), start));
        continue;
      }
      Token.Kind kind =
          switch (c) {
            case '(' -> Token.Kind.LPAREN;
            case ')' -> Token.Kind.RPAREN;
            case '[' -> Token.Kind.LBRACKET;
            case ']' -> Token.Kind.RBRACKET;
            case '.' -> Token.Kind.DOT;
            case ',' -> Token.Kind.COMMA;
            case '+' -> Token.Kind.PLUS;
            case '-' -> Token.Kind.MINUS;
            case '=', '<', '>' -> Token.Kind.COMPARATOR;
            default -> throw errors.invalidCharacter(c, text, start);
          };
      i++;
      if (kind == Token.Kind.COMPARATOR && i < text.length()) {
        char next = text.charAt(i);
        if ((c == '<' && (next == '=' || next == '>')) || (c == '>' && next == '=')) {
          i++;
        }
      }
      tokens.add(new Token(kind, text.substring(start, i), start));
    }
    tokens.add(new Token(Token.Kind.EOF, "<EOF>", text.length()));
    return tokens;
  }

  private static boolean isNameStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
