package dev.cumulus.updater.update.domain;

import java.util.Set;

/** An update's life: waiting, running, and how it ended. */
public final class UpdateStatus {

  public static final String PENDING = "pending";
  public static final String AWAITING_APPROVAL = "awaiting_approval";
  public static final String IN_PROGRESS = "in_progress";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String ROLLED_BACK = "rolled_back";
  public static final String CANCELLED = "cancelled";

  public static final Set<String> ALL =
      Set.of(PENDING, AWAITING_APPROVAL, IN_PROGRESS, COMPLETED, FAILED, ROLLED_BACK, CANCELLED);

  private UpdateStatus() {}
}
