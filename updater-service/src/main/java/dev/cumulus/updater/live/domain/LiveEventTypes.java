package dev.cumulus.updater.live.domain;

import java.util.List;
import java.util.Map;

/** Which CloudEvent becomes which seed 002 WebSocket message. */
public final class LiveEventTypes {

  public static final String STATUS_CHANGED = "container_status_changed";
  public static final String UPDATE_STARTED = "container_update_started";
  public static final String UPDATE_COMPLETED = "container_update_completed";
  public static final String UPDATE_ROLLED_BACK = "container_update_rolled_back";
  public static final String UPDATE_AWAITING_APPROVAL = "container_update_awaiting_approval";
  public static final String NOTIFICATION = "notification";

  private static final Map<String, String> BY_CLOUD_EVENT =
      Map.of(
          "dev.cumulus.updater.container.state.v1", STATUS_CHANGED,
          "dev.cumulus.updater.update.started.v1", UPDATE_STARTED,
          "dev.cumulus.updater.update.succeeded.v1", UPDATE_COMPLETED,
          "dev.cumulus.updater.update.failed.v1", UPDATE_COMPLETED,
          "dev.cumulus.updater.update.rolled-back.v1", UPDATE_ROLLED_BACK,
          "dev.cumulus.updater.update.awaiting-approval.v1", UPDATE_AWAITING_APPROVAL);

  /** Every type a client may subscribe to. */
  public static final List<String> ALL =
      List.of(
          STATUS_CHANGED,
          UPDATE_STARTED,
          UPDATE_COMPLETED,
          UPDATE_ROLLED_BACK,
          UPDATE_AWAITING_APPROVAL,
          NOTIFICATION);

  private LiveEventTypes() {}

  /** The WebSocket type of a CloudEvent type, or null when clients do not see it. */
  public static String of(String cloudEventType) {
    return BY_CLOUD_EVENT.get(cloudEventType);
  }
}
