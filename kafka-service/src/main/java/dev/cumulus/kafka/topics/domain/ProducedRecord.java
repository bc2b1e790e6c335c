package dev.cumulus.kafka.topics.domain;

/** Where the broker stored a produced record; {@code topic} is the tenant's name. */
public record ProducedRecord(String topic, int partition, long offset, long timestamp) {}
