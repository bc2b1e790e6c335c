package dev.cumulus.kafka.topics.domain;

import dev.cumulus.platform.error.ErrorKind;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The topic configs a tenant may set (at creation or later), each with the values it may take.
 * Everything else is refused: configs that reach beyond the tenant's own data (replication
 * throttles, unclean leader election, tiered storage) or that let one tenant wear down the shared
 * broker (flush on every message, tiny segments, records above the service's size limit).
 */
public final class TopicConfigPolicy {

  private static final long ONE_MINUTE_MS = 60_000;
  private static final Set<String> COMPRESSION =
      Set.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");
  private static final Set<String> CLEANUP =
      Set.of("delete", "compact", "compact,delete", "delete,compact");

  private static final Map<String, Rule> ALLOWED =
      Map.ofEntries(
          Map.entry(
              "cleanup.policy", new Rule("delete, compact or compact,delete", CLEANUP::contains)),
          Map.entry("compression.type", new Rule("one of " + COMPRESSION, COMPRESSION::contains)),
          Map.entry("retention.ms", Rule.atLeast(-1, "-1 (forever) or milliseconds")),
          Map.entry("retention.bytes", Rule.atLeast(-1, "-1 (no limit) or bytes")),
          Map.entry("delete.retention.ms", Rule.atLeast(0, "milliseconds")),
          Map.entry("min.compaction.lag.ms", Rule.atLeast(0, "milliseconds")),
          Map.entry("max.compaction.lag.ms", Rule.atLeast(1, "milliseconds")),
          Map.entry("segment.ms", Rule.atLeast(ONE_MINUTE_MS, "at least 60000 (one minute)")),
          Map.entry(
              "min.cleanable.dirty.ratio",
              new Rule("a number from 0 to 1", TopicConfigPolicy::isRatio)),
          Map.entry(
              "message.timestamp.type",
              new Rule(
                  "CreateTime or LogAppendTime", Set.of("CreateTime", "LogAppendTime")::contains)));

  private final long maxMessageBytes;

  /**
   * @param maxRecordBytes the service's record size limit: {@code max.message.bytes} may lower the
   *     broker's limit for a topic, never raise it above this
   */
  public TopicConfigPolicy(long maxRecordBytes) {
    this.maxMessageBytes = maxRecordBytes;
  }

  /** Refuses a config the tenant must not set (403) or a value out of its range (400). */
  public void check(String name, String value) {
    if (name == null || name.isBlank()) {
      throw KafkaErrors.missingParameter("name");
    }
    if (name.equals("max.message.bytes")) {
      Rule limit =
          new Rule("bytes, from 1 to " + maxMessageBytes, v -> between(v, 1, maxMessageBytes));
      limit.check(name, value);
      return;
    }
    Rule rule = ALLOWED.get(name);
    if (rule == null) {
      throw KafkaErrors.of(
          ErrorKind.FORBIDDEN,
          "PolicyViolation",
          "Topic config '" + name + "' cannot be set by a tenant; allowed: " + allowed());
    }
    rule.check(name, value);
  }

  /** Only checks the name: whether a tenant may reset the config to the broker's default. */
  public void checkName(String name) {
    if (name == null || !allowed().contains(name)) { // a TreeSet throws on null
      check(name, null);
    }
  }

  public Set<String> allowed() {
    Set<String> names = new TreeSet<>(ALLOWED.keySet());
    names.add("max.message.bytes");
    return names;
  }

  private record Rule(String expected, Predicate<String> valid) {

    static Rule atLeast(long min, String expected) {
      return new Rule(expected, v -> between(v, min, Long.MAX_VALUE));
    }

    void check(String name, String value) {
      if (value == null || !valid.test(value.replace(" ", ""))) {
        throw KafkaErrors.of(
            ErrorKind.BAD_REQUEST, "InvalidConfig", "Invalid " + name + ": " + expected);
      }
    }
  }

  private static boolean between(String value, long min, long max) {
    try {
      long number = Long.parseLong(value);
      return number >= min && number <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isRatio(String value) {
    try {
      double ratio = Double.parseDouble(value);
      return ratio >= 0 && ratio <= 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
