package dev.cumulus.database.nosql.domain.partiql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PartiQL statement into tokens: words, "quoted identifiers", 'strings', numbers, {@code
 * ?} and punctuation ({@code << >>} for set literals, {@code <= >= <> !=}).
 */
final class Lexer {

  enum Kind {
    WORD,
    IDENTIFIER,
    STRING,
    NUMBER,
    PARAMETER,
    SYMBOL,
    END
  }

  record Token(Kind kind, String text, int position) {

    boolean is(String symbolOrKeyword) {
      return (kind == Kind.SYMBOL && text.equals(symbolOrKeyword))
          || (kind == Kind.WORD && text.equalsIgnoreCase(symbolOrKeyword));
    }
  }

  private static final List<String> SYMBOLS =
      List.of(
          "<<", ">>", "<=", ">=", "<>", "!=", "=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".",
          ":", "*", "+", "-");

  private Lexer() {}

  static List<Token> tokens(String statement) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = statement.length();
    while (i < n) {
      char c = statement.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"') {
        int end = i + 1;
        StringBuilder text = new StringBuilder();
        while (true) {
          if (end >= n) {
            throw Statements.malformed("unterminated quote at position " + (i + 1));
          }
          char d = statement.charAt(end);
          if (d == c && end + 1 < n && statement.charAt(end + 1) == c) {
            text.append(c); // a doubled quote stands for itself
            end += 2;
          } else if (d == c) {
            break;
          } else {
            text.append(d);
            end++;
          }
        }
        tokens.add(new Token(c == '\'' ? Kind.STRING : Kind.IDENTIFIER, text.toString(), i));
        i = end + 1;
      } else if (Character.isDigit(c)
          || (c == '.' && i + 1 < n && Character.isDigit(statement.charAt(i + 1)))) {
        int end = i;
        while (end < n && isNumberChar(statement, end)) {
          end++;
        }
        tokens.add(new Token(Kind.NUMBER, statement.substring(i, end), i));
        i = end;
      } else if (Character.isLetter(c) || c == '_') {
        int end = i;
        while (end < n
            && (Character.isLetterOrDigit(statement.charAt(end)) || statement.charAt(end) == '_')) {
          end++;
        }
        tokens.add(new Token(Kind.WORD, statement.substring(i, end), i));
        i = end;
      } else if (c == '?') {
        tokens.add(new Token(Kind.PARAMETER, "?", i));
        i++;
      } else {
        String symbol = symbolAt(statement, i);
        if (symbol == null) {
          throw Statements.malformed("unexpected character '" + c + "' at position " + (i + 1));
        }
        tokens.add(new Token(Kind.SYMBOL, symbol, i));
        i += symbol.length();
      }
    }
    tokens.add(new Token(Kind.END, "", n));
    return tokens;
  }

  private static boolean isNumberChar(String s, int at) {
    char c = s.charAt(at);
    if (Character.isDigit(c) || c == '.') {
      return true;
    }
    if (c == 'e' || c == 'E') {
      return true;
    }
    // a sign right after an exponent marker
    return (c == '+' || c == '-') && at > 0 && (s.charAt(at - 1) == 'e' || s.charAt(at - 1) == 'E');
  }

  private static String symbolAt(String s, int at) {
    for (String symbol : SYMBOLS) {
      if (s.startsWith(symbol, at)) {
        return symbol;
      }
    }
    return null;
  }
}
