package dev.cumulus.database.nosql.domain.expression;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** DynamoDB's reserved words (resource {@code nosql/reserved-words.txt}). */
final class ReservedWords {

  private static final Set<String> WORDS = load();

  private ReservedWords() {}

  static boolean contains(String word) {
    return WORDS.contains(word.toUpperCase(Locale.ROOT));
  }

  private static Set<String> load() {
    Set<String> words = new HashSet<>();
    try (InputStream in = ReservedWords.class.getResourceAsStream("/nosql/reserved-words.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          words.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(words);
  }
}
