package dev.cumulus.database.nosql.application;

import dev.cumulus.database.nosql.domain.DynamoException;
import dev.cumulus.database.nosql.domain.ShardIterator;
import dev.cumulus.database.nosql.domain.Streams;
import dev.cumulus.database.nosql.persistence.StreamRepository;
import dev.cumulus.database.nosql.persistence.StreamRepository.RecordRow;
import dev.cumulus.database.nosql.persistence.StreamRepository.StreamRow;
import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Reads an instance's streams as DynamoDB Streams' API does: list and describe them, hand out shard
 * iterators and read records after them. Every stream has one shard, {@link Streams#SHARD_ID}.
 */
@Service
public class StreamReader {

  /** One page of streams and the last one listed when there are more (else null). */
  public record StreamPage(List<StreamRow> streams, StreamRow lastEvaluated) {}

  /** GetRecords' answer: records after the iterator, and the next iterator (null: shard closed). */
  public record Records(List<RecordRow> records, String nextIterator) {}

  /** GetRecords' most records per page (and its default Limit), as DynamoDB Streams'. */
  public static final int MAX_LIMIT = 1000;

  /** GetRecords' most data per page, by the records' SizeBytes: 1 MB, as DynamoDB Streams'. */
  public static final long PAGE_BYTES = 1024 * 1024;

  private final StreamRepository streams;
  private final TransactionalOperator tx;
  private final Mono<String> secret;
  private final Clock clock = Clock.systemUTC();

  public StreamReader(StreamRepository streams, TransactionalOperator tx) {
    this.streams = streams;
    this.tx = tx;
    // Loaded once; a failed load is tried again on the next request.
    this.secret =
        streams
            .secret()
            .cache(key -> Duration.ofDays(36500), e -> Duration.ZERO, () -> Duration.ZERO);
  }

  public Mono<StreamPage> list(
      Instance instance, String table, String[] exclusiveStart, int limit) {
    if (limit < 1 || limit > 100) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value less than or"
              + " equal to 100");
    }
    return streams
        .list(
            instance.serviceId(),
            table,
            exclusiveStart == null ? null : exclusiveStart[0],
            exclusiveStart == null ? null : exclusiveStart[1],
            limit + 1)
        .collectList()
        .map(
            rows ->
                rows.size() > limit
                    ? new StreamPage(rows.subList(0, limit), rows.get(limit - 1))
                    : new StreamPage(rows, null));
  }

  /** The stream of this ARN of the instance; ResourceNotFoundException for any other. */
  public Mono<StreamRow> describe(Instance instance, String arn) {
    String[] parts = Streams.parseArn(arn);
    if (parts == null) {
      return Mono.error(notFound(arn));
    }
    return sealed(instance.serviceId(), parts[0], parts[1])
        .switchIfEmpty(Mono.error(() -> notFound(arn)));
  }

  /**
   * GetShardIterator: TRIM_HORIZON (the oldest record kept), LATEST (after the newest),
   * AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.
   */
  public Mono<String> iterator(
      Instance instance, String arn, String shardId, String type, String sequenceNumber) {
    return describe(instance, arn)
        .flatMap(
            stream -> {
              if (!Streams.SHARD_ID.equals(shardId)) {
                return Mono.error(
                    new DynamoException(
                        ErrorKind.NOT_FOUND,
                        "ResourceNotFoundException",
                        "Requested resource not found: Shard does not exist"));
              }
              long after = position(stream, type, sequenceNumber);
              ShardIterator iterator =
                  new ShardIterator(
                      instance.serviceId(), stream.table(), stream.label(), after, clock.instant());
              return secret.map(iterator::encode);
            });
  }

  private static long position(StreamRow stream, String type, String sequenceNumber) {
    switch (type == null ? "" : type) {
      case "TRIM_HORIZON":
        return stream.trimmedSeq();
      case "LATEST":
        return stream.lastSeq();
      case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
        long seq = Streams.parseSequenceNumber(sequenceNumber);
        if (seq < 1 || seq > stream.lastSeq()) {
          throw DynamoException.validation(
              "Invalid SequenceNumber for ShardIteratorType " + type + ": " + sequenceNumber);
        }
        if (seq <= stream.trimmedSeq()) {
          throw trimmed();
        }
        return type.equals("AT_SEQUENCE_NUMBER") ? seq - 1 : seq;
      default:
        throw DynamoException.validation(
            "1 validation error detected: Value '"
                + type
                + "' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum"
                + " value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
    }
  }

  /**
   * GetRecords: up to {@code limit} records after the iterator but no more than {@link #PAGE_BYTES}
   * of them, and where to go on (right after the last record answered).
   */
  public Mono<Records> records(Instance instance, String iteratorText, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DynamoException.validation(
          "1 validation error detected: Value '"
              + limit
              + "' at 'limit' failed to satisfy constraint: Member must have value "
              + (limit < 1 ? "greater than or equal to 1" : "less than or equal to " + MAX_LIMIT));
    }
    String service = instance.serviceId();
    return secret.flatMap(
        key -> {
          ShardIterator iterator =
              ShardIterator.decode(iteratorText, key, service, clock.instant());
          return sealed(service, iterator.table(), iterator.label())
              .switchIfEmpty(
                  Mono.error(() -> notFound(Streams.arn("*", iterator.table(), iterator.label()))))
              .flatMap(
                  stream -> {
                    if (iterator.afterSeq() < stream.trimmedSeq()) {
                      return Mono.error(trimmed());
                    }
                    return streams
                        .records(
                            service,
                            stream.table(),
                            stream.label(),
                            iterator.afterSeq(),
                            limit,
                            PAGE_BYTES)
                        .collectList()
                        .map(records -> page(stream, iterator, records, key));
                  });
        });
  }

  /** The stream after its pending records got their sequence numbers. */
  private Mono<StreamRow> sealed(String service, String table, String label) {
    return streams
        .seal(service, table, label)
        .as(tx::transactional)
        .then(streams.find(service, table, label));
  }

  private Records page(
      StreamRow stream, ShardIterator iterator, List<RecordRow> records, String key) {
    long last = records.isEmpty() ? iterator.afterSeq() : records.getLast().seq();
    // A disabled stream's shard is closed: once its last record is read, no next iterator.
    boolean closed = !stream.enabled() && last >= stream.lastSeq();
    return new Records(records, closed ? null : iterator.next(last, clock.instant()).encode(key));
  }

  private static DynamoException notFound(String arn) {
    return new DynamoException(
        ErrorKind.NOT_FOUND,
        "ResourceNotFoundException",
        "Requested resource not found: Stream: " + arn + " not found");
  }

  private static DynamoException trimmed() {
    return new DynamoException(
        ErrorKind.BAD_REQUEST,
        "TrimmedDataAccessException",
        "The operation attempted to read past the oldest stream record in a shard.");
  }
}
