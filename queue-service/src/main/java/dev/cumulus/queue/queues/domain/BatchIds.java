package dev.cumulus.queue.queues.domain;

import dev.cumulus.platform.error.ErrorKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** SQS's rules for the entry ids of one batch: 1 to 10 entries, distinct, well-formed ids. */
public final class BatchIds {

  public static final int MAX_ENTRIES = 10;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private BatchIds() {}

  public static void check(List<String> ids) {
    if (ids.isEmpty()) {
      throw QueueErrors.of(
          ErrorKind.BAD_REQUEST,
          "EmptyBatchRequest",
          "There should be at least one SendMessageBatchRequestEntry in the request.");
    }
    if (ids.size() > MAX_ENTRIES) {
      throw QueueErrors.of(
          ErrorKind.BAD_REQUEST,
          "TooManyEntriesInBatchRequest",
          "Maximum number of entries per request are "
              + MAX_ENTRIES
              + ". You have sent "
              + ids.size()
              + ".");
    }
    Set<String> seen = new HashSet<>();
    for (String id : ids) {
      if (id == null || !ID.matcher(id).matches()) {
        throw QueueErrors.of(
            ErrorKind.BAD_REQUEST,
            "InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores."
                + " It can be at most 80 letters long.");
      }
      if (!seen.add(id)) {
        throw QueueErrors.of(
            ErrorKind.BAD_REQUEST, "BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
      }
    }
  }
}
