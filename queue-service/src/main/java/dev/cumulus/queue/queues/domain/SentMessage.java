package dev.cumulus.queue.queues.domain;

import java.util.UUID;

/**
 * A sent message as SQS acknowledges it.
 *
 * @param md5OfAttributes null without attributes
 * @param sequenceNumber FIFO queues only
 */
public record SentMessage(
    UUID messageId, String md5OfBody, String md5OfAttributes, String sequenceNumber) {}
