package dev.cumulus.database.rds.domain;

import java.util.regex.Pattern;

/**
 * What an instance over its plan's storage limit may still do through the API: read, and run the
 * statements that free space ({@code DELETE}, {@code TRUNCATE}, {@code DROP}), so a tenant can get
 * under the limit again. Everything else runs in a READ ONLY transaction and fails with SQLSTATE
 * 25006.
 */
public final class StorageCap {

  /**
   * The statement's first word, right at its start (after white space only: a leading comment does
   * not count, so a nested comment cannot hide another statement's start).
   */
  private static final Pattern FREES_SPACE =
      Pattern.compile("^\\s*(DELETE|TRUNCATE|DROP)\\b", Pattern.CASE_INSENSITIVE);

  private StorageCap() {}

  /** Whether the statement is one that frees space, allowed over the limit. */
  public static boolean freesSpace(String sql) {
    return sql != null && FREES_SPACE.matcher(sql).find();
  }

  /** What the API adds to a read-only refusal of an instance over its limit. */
  public static String refusal(PlanLimits limits) {
    return "the database is over its plan's storage limit ("
        + limits.storageLimit()
        + ") and read-only until it is under it again; DELETE, TRUNCATE and DROP still work";
  }
}
