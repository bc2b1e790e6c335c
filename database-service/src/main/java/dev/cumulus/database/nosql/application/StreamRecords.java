package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.AttributeValues;
import dev.cumulus.database.nosql.domain.Streams;
import dev.cumulus.database.nosql.persistence.StreamRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the stream records of changes to tables with a stream enabled, in the changes'
 * transaction: one INSERT per change (its sequence number comes when the stream is read, see {@link
 * StreamRepository#seal}), nothing for tables without a stream.
 */
@Component
public class StreamRecords {

  private final StreamRepository streams;

  public StreamRecords(StreamRepository streams) {
    this.streams = streams;
  }

  /**
   * Appends the records of these changes. Call it last in the transaction: it takes each stream's
   * lock shared (held until commit) in table order, so that a writer holding it waits for nothing
   * but its commit and a reader's exclusive lock never closes a cycle.
   */
  public Mono<Void> append(List<ItemChange> changes) {
    List<ItemChange> streamed =
        changes.stream()
            .filter(c -> c.table().streamEnabled() && (c.old() != null || c.current() != null))
            .sorted(Comparator.comparing(c -> c.service() + "/" + c.table().name()))
            .toList();
    if (streamed.isEmpty()) {
      return Mono.empty();
    }
    Instant now = Instant.now();
    return Flux.fromIterable(streamed)
        .concatMap(
            c ->
                streams.append(
                    c.service(), c.table().name(), c.table().streamLabel(), record(c, now)))
        .then();
  }

  /** A record as GetRecords answers it, less SequenceNumber and awsRegion. */
  static ObjectNode record(ItemChange change, Instant now) {
    String viewType = change.table().streamViewType();
    ObjectNode record = AttributeValues.NODES.objectNode();
    record.put("eventID", UUID.randomUUID().toString().replace("-", ""));
    record.put("eventName", change.eventName());
    record.put("eventVersion", "1.1");
    record.put("eventSource", "aws:dynamodb");
    ObjectNode dynamodb = record.putObject("dynamodb");
    dynamodb.put("ApproximateCreationDateTime", now.getEpochSecond());
    dynamodb.set("Keys", change.keys());
    int size = AttributeValues.itemSize(change.keys());
    JsonNode newImage = Streams.newImage(viewType, change.current());
    if (newImage != null) {
      dynamodb.set("NewImage", newImage);
      size += AttributeValues.itemSize(newImage);
    }
    JsonNode oldImage = Streams.oldImage(viewType, change.old());
    if (oldImage != null) {
      dynamodb.set("OldImage", oldImage);
      size += AttributeValues.itemSize(oldImage);
    }
    dynamodb.put("SizeBytes", size);
    dynamodb.put("StreamViewType", viewType);
    if (change.byService()) {
      record
          .putObject("userIdentity")
          .put("PrincipalId", ItemEvents.SERVICE_PRINCIPAL)
          .put("Type", "Service");
    }
    return record;
  }
}
