package dev.cumulus.database.rds.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The seed's positional parameters ({@code ?}) as PostgreSQL's ({@code $1, $2, ...}). A {@code ?}
 * inside a string literal, a quoted identifier, a dollar-quoted body or a comment is left alone; a
 * statement already using {@code $n} is left as it is (then jsonb's {@code ?} operators work too).
 */
public final class Placeholders {

  private Placeholders() {}

  /** The statement with {@code $n} placeholders, and how many there are. */
  public record Numbered(String sql, int count) {}

  public static Numbered number(String sql) {
    if (sql.matches("(?s).*\\$[0-9]+.*")) {
      return new Numbered(sql, -1);
    }
    StringBuilder out = new StringBuilder(sql.length() + 8);
    int count = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int skipTo = skipQuoted(sql, i);
      if (skipTo > i) {
        out.append(sql, i, skipTo);
        i = skipTo;
      } else if (c == '?') {
        out.append('$').append(++count);
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return new Numbered(out.toString(), count);
  }

  /**
   * The RDS Data API's named parameters ({@code :name}; {@code ::} is a cast) as {@code $n}, in
   * order of first use; the names in the order of their numbers.
   */
  public record Named(String sql, List<String> names) {}

  public static Named named(String sql) {
    return named(sql, name -> "");
  }

  /** As {@link #named(String)}, each placeholder followed by {@code suffix(name)} (a cast). */
  public static Named named(String sql, UnaryOperator<String> suffix) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    List<String> names = new ArrayList<>();
    int i = 0;
    while (i < sql.length()) {
      int skipTo = skipQuoted(sql, i);
      char c = sql.charAt(i);
      if (skipTo > i) {
        out.append(sql, i, skipTo);
        i = skipTo;
      } else if (c == ':' && i + 1 < sql.length() && sql.charAt(i + 1) == ':') {
        out.append("::");
        i += 2;
      } else if (c == ':'
          && i + 1 < sql.length()
          && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
        int end = i + 1;
        while (end < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        String name = sql.substring(i + 1, end);
        int index = names.indexOf(name);
        if (index < 0) {
          names.add(name);
          index = names.size() - 1;
        }
        out.append('$').append(index + 1).append(suffix.apply(name));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return new Named(out.toString(), List.copyOf(names));
  }

  /**
   * The index after a literal, quoted identifier, dollar quote or comment starting at i; else i.
   */
  private static int skipQuoted(String sql, int i) {
    char c = sql.charAt(i);
    if (c == '\'' || c == '"') {
      int end = i + 1;
      while (end < sql.length()) {
        if (sql.charAt(end) == c) {
          if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
            end += 2;
            continue;
          }
          return end + 1;
        }
        end++;
      }
      return sql.length();
    }
    if (sql.startsWith("--", i)) {
      int end = sql.indexOf('\n', i);
      return end < 0 ? sql.length() : end;
    }
    if (sql.startsWith("/*", i)) {
      int end = sql.indexOf("*/", i + 2);
      return end < 0 ? sql.length() : end + 2;
    }
    if (c == '$') {
      int tagEnd = i + 1;
      while (tagEnd < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(tagEnd)) || sql.charAt(tagEnd) == '_')) {
        tagEnd++;
      }
      if (tagEnd < sql.length() && sql.charAt(tagEnd) == '$') {
        String tag = sql.substring(i, tagEnd + 1);
        int end = sql.indexOf(tag, tagEnd + 1);
        return end < 0 ? sql.length() : end + tag.length();
      }
    }
    return i;
  }
}
