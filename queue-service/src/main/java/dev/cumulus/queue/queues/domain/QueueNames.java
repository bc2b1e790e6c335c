package dev.cumulus.queue.queues.domain;

import java.util.regex.Pattern;

/** SQS's queue name rules: 1 to 80 of {@code [A-Za-z0-9_-]}, FIFO names ending in {@code .fifo}. */
public final class QueueNames {

  public static final String FIFO_SUFFIX = ".fifo";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.fifo)?");

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]*");
  private static final int MAX_LENGTH = 80;

  private QueueNames() {}

  /** Whether a queue may have this name: a lookup by any other finds nothing, without asking. */
  public static boolean possible(String name) {
    return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
  }

  /** Whether some queue name may start with {@code prefix} (null and empty: any). */
  public static boolean possiblePrefix(String prefix) {
    return prefix == null || (prefix.length() <= MAX_LENGTH && PREFIX.matcher(prefix).matches());
  }

  /** The name, checked; FIFO queues must and standard queues must not end in {@code .fifo}. */
  public static String check(String name, boolean fifo) {
    if (name == null || name.isBlank()) {
      throw QueueErrors.missingParameter("QueueName");
    }
    if (!possible(name)) {
      throw QueueErrors.invalidParameter(
          "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    if (fifo != name.endsWith(FIFO_SUFFIX)) {
      throw QueueErrors.invalidParameter(
          fifo
              ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or"
                  + " underscores, must end with .fifo suffix and be 1 to 80 in length"
              : "Only FIFO queue names may end with .fifo");
    }
    return name;
  }
}
