package dev.cumulus.queue.queues.domain;

import java.util.regex.Pattern;

/** SQS's queue name rules: 1 to 80 of {@code [A-Za-z0-9_-]}, FIFO names ending in {@code .fifo}. */
public final class QueueNames {

  public static final String FIFO_SUFFIX = ".fifo";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.fifo)?");

  private QueueNames() {}

  /** The name, checked; FIFO queues must and standard queues must not end in {@code .fifo}. */
  public static String check(String name, boolean fifo) {
    if (name == null || name.isBlank()) {
      throw QueueErrors.missingParameter("QueueName");
    }
    if (name.length() > 80 || !NAME.matcher(name).matches()) {
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
