package dev.cumulus.kafka.topics.domain;

/** A topic in a list: the tenant's name and its shape. */
public record TopicSummary(String name, int partitions, int replicationFactor) {}
