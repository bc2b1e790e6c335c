package dev.cumulus.queue.queues.domain;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A message handed to a receiver, with its receipt handle and system attributes. */
public record ReceivedMessage(
    UUID messageId,
    String receiptHandle,
    String body,
    String md5OfBody,
    Map<String, MessageAttribute> attributes,
    Instant sentAt,
    Instant firstReceivedAt,
    int receiveCount,
    String senderId,
    String groupId,
    String deduplicationId,
    String sequenceNumber,
    String deadLetterSourceArn) {}
