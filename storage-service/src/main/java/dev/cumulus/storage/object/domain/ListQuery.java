package dev.cumulus.storage.object.domain;

/**
 * What a listing asks for.
 *
 * @param prefix only keys starting with it ("" for all)
 * @param delimiter roll keys up to their first delimiter after the prefix into common prefixes
 *     (null or "" for none)
 * @param after only keys after this one ("" for the start): the later of S3's start-after and the
 *     key a continuation token stands for
 * @param maxKeys at most this many objects and common prefixes together
 */
public record ListQuery(String prefix, String delimiter, String after, int maxKeys) {

  public ListQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null ? "" : delimiter;
    after = after == null ? "" : after;
  }
}
