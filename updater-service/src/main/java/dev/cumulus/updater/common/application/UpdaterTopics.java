package dev.cumulus.updater.common.application;

/**
 * The Kafka topic of every updater event ({@code dev.cumulus.updater.container.state.v1}, {@code
 * dev.cumulus.updater.update.*.v1}), keyed by container id so a container's events stay in order.
 */
public final class UpdaterTopics {

  public static final String EVENTS = "cumulus.updater.events";

  private UpdaterTopics() {}
}
