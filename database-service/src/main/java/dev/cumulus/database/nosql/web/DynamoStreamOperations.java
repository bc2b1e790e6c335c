package dev.cumulus.database.nosql.web;

import dev.cumulus.database.nosql.application.StreamReader;
import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.Streams;
import dev.cumulus.database.nosql.persistence.StreamRepository.StreamRow;
import dev.cumulus.platform.instance.Instance;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * DynamoDB Streams' API ({@code X-Amz-Target: DynamoDBStreams_20120810.<Operation>}): ListStreams,
 * DescribeStream, GetShardIterator, GetRecords.
 */
@Component
class DynamoStreamOperations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final StreamReader reader;

  DynamoStreamOperations(StreamReader reader) {
    this.reader = reader;
  }

  Map<String, DynamoOperation> operations() {
    return Map.of(
        "ListStreams", this::list,
        "DescribeStream", this::describe,
        "GetShardIterator", this::iterator,
        "GetRecords", this::records);
  }

  private Mono<ObjectNode> list(Instance instance, String region, JsonNode request) {
    Integer limit = Fields.integer(request, "Limit");
    String start = Fields.text(request, "ExclusiveStartStreamArn");
    String[] startAt = start == null ? null : Streams.parseArn(start);
    if (start != null && startAt == null) {
      throw DynamoException.validation("Invalid ExclusiveStartStreamArn: " + start);
    }
    return reader
        .list(instance, Fields.text(request, "TableName"), startAt, limit == null ? 100 : limit)
        .map(
            page -> {
              ObjectNode out = NODES.objectNode();
              ArrayNode streams = out.putArray("Streams");
              for (StreamRow stream : page.streams()) {
                streams
                    .addObject()
                    .put("StreamArn", Streams.arn(region, stream.table(), stream.label()))
                    .put("TableName", stream.table())
                    .put("StreamLabel", stream.label());
              }
              if (page.lastEvaluated() != null) {
                out.put(
                    "LastEvaluatedStreamArn",
                    Streams.arn(
                        region, page.lastEvaluated().table(), page.lastEvaluated().label()));
              }
              return out;
            });
  }

  private Mono<ObjectNode> describe(Instance instance, String region, JsonNode request) {
    String arn = Fields.required(request, "StreamArn");
    return reader
        .describe(instance, arn)
        .map(
            stream -> {
              ObjectNode out = NODES.objectNode();
              ObjectNode description = out.putObject("StreamDescription");
              description.put("StreamArn", Streams.arn(region, stream.table(), stream.label()));
              description.put("StreamLabel", stream.label());
              description.put("StreamStatus", stream.enabled() ? "ENABLED" : "DISABLED");
              description.put("StreamViewType", stream.viewType());
              description.put(
                  "CreationRequestDateTime", stream.createdAt().toEpochMilli() / 1000.0);
              description.put("TableName", stream.table());
              description.set("KeySchema", stream.keySchema());
              ObjectNode range =
                  description
                      .putArray("Shards")
                      .addObject()
                      .put("ShardId", Streams.SHARD_ID)
                      .putObject("SequenceNumberRange");
              range.put("StartingSequenceNumber", Streams.sequenceNumber(stream.trimmedSeq() + 1));
              if (!stream.enabled()) {
                range.put("EndingSequenceNumber", Streams.sequenceNumber(stream.lastSeq()));
              }
              return out;
            });
  }

  private Mono<ObjectNode> iterator(Instance instance, String region, JsonNode request) {
    return reader
        .iterator(
            instance,
            Fields.required(request, "StreamArn"),
            Fields.required(request, "ShardId"),
            Fields.required(request, "ShardIteratorType"),
            Fields.text(request, "SequenceNumber"))
        .map(iterator -> NODES.objectNode().put("ShardIterator", iterator));
  }

  private Mono<ObjectNode> records(Instance instance, String region, JsonNode request) {
    Integer limit = Fields.integer(request, "Limit");
    return reader
        .records(
            instance,
            Fields.required(request, "ShardIterator"),
            limit == null ? StreamReader.MAX_LIMIT : limit)
        .map(
            page -> {
              ObjectNode out = NODES.objectNode();
              ArrayNode records = out.putArray("Records");
              for (var row : page.records()) {
                ObjectNode record = (ObjectNode) row.record();
                record.put("awsRegion", region);
                ((ObjectNode) record.get("dynamodb"))
                    .put("SequenceNumber", Streams.sequenceNumber(row.seq()));
                records.add(record);
              }
              if (page.nextIterator() != null) {
                out.put("NextShardIterator", page.nextIterator());
              }
              return out;
            });
  }
}
