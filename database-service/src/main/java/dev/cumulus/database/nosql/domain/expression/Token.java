package dev.cumulus.database.nosql.domain.expression;

/** A lexical token of an expression and where it starts. */
record Token(Kind kind, String text, int position) {

  enum Kind {
    NAME,
    NAME_REF,
    VALUE_REF,
    NUMBER,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    DOT,
    COMMA,
    COMPARATOR,
    PLUS,
    MINUS,
    EOF
  }

  boolean is(Kind k) {
    return kind == k;
  }

  /** A case-insensitive keyword such as AND or SET. */
  boolean isKeyword(String keyword) {
    return kind == Kind.NAME && text.equalsIgnoreCase(keyword);
  }
}
