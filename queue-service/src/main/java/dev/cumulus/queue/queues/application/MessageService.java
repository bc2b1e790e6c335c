package dev.cumulus.queue.queues.application;

import dev.cumulus.platform.error.ApiException;
import dev.cumulus.platform.events.Outbox;
import dev.cumulus.queue.queues.domain.MessageAttribute;
import dev.cumulus.queue.queues.domain.MessageDigests;
import dev.cumulus.queue.queues.domain.NewMessage;
import dev.cumulus.queue.queues.domain.Queue;
import dev.cumulus.queue.queues.domain.QueueErrors;
import dev.cumulus.queue.queues.domain.QueueSettings;
import dev.cumulus.queue.queues.domain.ReceiptHandle;
import dev.cumulus.queue.queues.domain.ReceiveOptions;
import dev.cumulus.queue.queues.domain.ReceivedMessage;
import dev.cumulus.queue.queues.domain.SentMessage;
import dev.cumulus.queue.queues.domain.SqsCharacters;
import dev.cumulus.queue.queues.persistence.ArrivalSignals;
import dev.cumulus.queue.queues.persistence.MessageInserts;
import dev.cumulus.queue.queues.persistence.MessageRepository;
import dev.cumulus.queue.queues.persistence.QueueRepository;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Sending, receiving (with long polling), deleting and hiding messages. */
@Service
public class MessageService {

  private final MessageRepository messages;
  private final QueueRepository queues;
  private final TransactionalOperator tx;
  private final Outbox outbox;
  private final QueueService queueService;
  private final LongPoll longPoll;
  private final ArrivalSignals signals;
  private final MessageInserts inserts;

  public MessageService(
      MessageRepository messages,
      QueueRepository queues,
      TransactionalOperator tx,
      Outbox outbox,
      QueueService queueService,
      LongPoll longPoll,
      ArrivalSignals signals,
      MessageInserts inserts) {
    this.messages = messages;
    this.queues = queues;
    this.tx = tx;
    this.outbox = outbox;
    this.queueService = queueService;
    this.longPoll = longPoll;
    this.signals = signals;
    this.inserts = inserts;
  }

  /** Sends one message; a FIFO duplicate within 5 minutes answers with the first one's ids. */
  public Mono<SentMessage> send(Queue queue, NewMessage message, String senderId) {
    Prepared prepared = prepare(queue, message, senderId);
    // last(), not next(): next() would cancel the store before its commit and signal.
    return store(queue, List.of(prepared)).last();
  }

  /** One entry of a batch send: sent, or refused (the entry's own error). */
  public record Outcome(SentMessage sent, ApiException refused) {}

  /**
   * Sends the messages of one batch together: the valid ones are stored in one transaction and
   * signalled once; an invalid one (or one whose reading throws) is refused alone. Outcomes in the
   * batch's order.
   */
  public Mono<List<Outcome>> sendBatch(
      Queue queue, List<Supplier<NewMessage>> batch, String senderId) {
    Outcome[] outcomes = new Outcome[batch.size()];
    List<Prepared> valid = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      try {
        valid.add(prepare(queue, batch.get(i).get(), senderId));
        positions.add(i);
      } catch (ApiException refused) {
        outcomes[i] = new Outcome(null, refused);
      }
    }
    if (valid.isEmpty()) {
      return Mono.just(List.of(outcomes));
    }
    return store(queue, valid)
        .index()
        .doOnNext(
            sent ->
                outcomes[positions.get(sent.getT1().intValue())] = new Outcome(sent.getT2(), null))
        .then(Mono.fromSupplier(() -> Arrays.asList(outcomes)));
  }

  /** A checked message, ready to store. */
  private record Prepared(MessageRepository.NewRow row, NewMessage message, int delay) {}

  private static Prepared prepare(Queue queue, NewMessage message, String senderId) {
    int delay = checkSend(queue, message);
    String md5 = MessageDigests.md5Hex(message.body());
    String md5Attributes = MessageDigests.ofAttributes(message.attributes());
    String dedup =
        !queue.fifo()
            ? null
            : message.deduplicationId() != null
                ? message.deduplicationId()
                : MessageDigests.sha256Hex(message.body());
    UUID id = UUID.randomUUID();
    return new Prepared(
        row(id, queue, message, md5, md5Attributes, dedup, senderId, delay), message, delay);
  }

  /**
   * Stores checked messages durably (one commit; a Standard queue's shared with other sends, see
   * {@link MessageInserts}), then wakes receivers unless every one is delayed (they then wake at
   * its time). Emits one acknowledgement per message, in order.
   */
  private Flux<SentMessage> store(Queue queue, List<Prepared> batch) {
    Flux<SentMessage> stored =
        queue.fifo()
            ? Flux.fromIterable(batch).concatMap(p -> storeFifo(queue, p)).as(tx::transactional)
            : inserts
                .insert(batch.stream().map(Prepared::row).toList())
                .zipWithIterable(batch, (seq, p) -> sent(p, p.row().id(), null));
    // The queue was deleted (on another replica, after this one cached it): its rows are gone.
    stored =
        stored.onErrorMap(
            DataIntegrityViolationException.class,
            e -> QueueErrors.queueDoesNotExist(queue.name()));
    boolean signal = batch.stream().anyMatch(p -> p.delay() == 0);
    return signal ? stored.doOnComplete(() -> signals.signal(queue.id())) : stored;
  }

  /** A FIFO send, in the caller's transaction: a duplicate answers with the first one's ids. */
  private Mono<SentMessage> storeFifo(Queue queue, Prepared prepared) {
    MessageRepository.NewRow row = prepared.row();
    String dedup = row.deduplicationId();
    return messages
        .claimDeduplicationId(queue.id(), dedup, row.id())
        .map(
            duplicate ->
                sent(
                    prepared,
                    duplicate.messageId(),
                    duplicate.sequence() == null
                        ? null
                        : MessageRepository.sequenceNumber(duplicate.sequence())))
        .switchIfEmpty(
            messages
                .touchGroup(queue.id(), row.groupId())
                .then(messages.insert(row))
                .flatMap(
                    seq ->
                        messages
                            .recordDeduplicatedSequence(queue.id(), dedup, seq)
                            .thenReturn(
                                sent(prepared, row.id(), MessageRepository.sequenceNumber(seq)))));
  }

  private static SentMessage sent(Prepared prepared, UUID messageId, String sequenceNumber) {
    MessageRepository.NewRow row = prepared.row();
    return new SentMessage(messageId, row.md5OfBody(), row.md5OfAttributes(), sequenceNumber);
  }

  /**
   * Receives up to {@code maxMessages}; waits up to the wait time for a first message (woken by a
   * send on any replica). Messages past their queue's maxReceiveCount move to its dead-letter queue
   * instead.
   */
  public Mono<List<ReceivedMessage>> receive(Queue queue, ReceiveOptions options) {
    int visibility =
        options.visibilityTimeout() != null
            ? options.visibilityTimeout()
            : queue.settings().visibilityTimeout();
    int wait =
        options.waitTimeSeconds() != null
            ? options.waitTimeSeconds()
            : queue.settings().receiveMessageWaitTimeSeconds();
    return longPoll.poll(queue.id(), wait, () -> attempt(queue, options.maxMessages(), visibility));
  }

  private Mono<List<ReceivedMessage>> attempt(Queue queue, int max, int visibility) {
    Flux<ReceivedMessage> taken =
        queue.fifo()
            ? messages
                .lockGroups(queue.id(), max)
                .collectList()
                .flatMapMany(
                    groups ->
                        groups.isEmpty()
                            ? Flux.empty()
                            : messages.receiveFifo(queue.id(), groups, max, visibility))
            : messages.receive(queue.id(), max, visibility);
    AtomicReference<UUID> deadLetterQueue = new AtomicReference<>();
    return deadLetter(queue)
        .doOnNext(deadLetterQueue::set)
        .thenMany(taken)
        .collectList()
        .as(tx::transactional)
        .doOnSuccess(
            committed -> {
              if (deadLetterQueue.get() != null) {
                signals.signal(deadLetterQueue.get());
              }
            });
  }

  /**
   * Moves exhausted messages to the dead-letter queue, with an event for each; emits that queue's
   * id when it moved any.
   */
  private Mono<UUID> deadLetter(Queue queue) {
    QueueSettings settings = queue.settings();
    if (!settings.redrives()) {
      return Mono.empty();
    }
    return queues
        .find(queue.serviceId(), settings.deadLetterQueue())
        .filter(target -> target.fifo() == queue.fifo())
        .flatMap(
            target ->
                messages
                    .deadLetter(
                        queue.id(),
                        settings.maxReceiveCount(),
                        target.id(),
                        target.settings().messageRetentionPeriod(),
                        queueService.arn(queue))
                    .concatMap(moved -> deadLettered(queue, target, moved.messageId()))
                    .count()
                    .filter(count -> count > 0)
                    .map(count -> target.id()));
  }

  private Mono<Void> deadLettered(Queue source, Queue target, UUID messageId) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("serviceId", source.serviceId());
    data.put("queueName", source.name());
    data.put("deadLetterQueueName", target.name());
    data.put("messageId", messageId.toString());
    data.put("maxReceiveCount", source.settings().maxReceiveCount());
    return outbox
        .appendForTenant(
            source.tenantId(),
            QueueService.TOPIC,
            source.serviceId() + "/" + source.name(),
            "message",
            "dead-lettered",
            data)
        .then();
  }

  /**
   * Deletes a received message. False when the handle is not the message's latest (it was received
   * again, or is gone already): SQS then answers success and keeps the message.
   */
  public Mono<Boolean> delete(Queue queue, String receiptHandle) {
    ReceiptHandle handle = handleOf(queue, receiptHandle);
    Mono<Boolean> deleted = messages.delete(handle).map(rows -> rows > 0);
    if (queue.fifo()) {
      // The message's group may be unblocked now.
      deleted = deleted.doOnNext(any -> signalIf(any, queue));
    }
    return deleted;
  }

  /**
   * Deletes the messages of one batch in one statement. An entry whose handle is malformed or of
   * another queue is refused alone (its error at its index); a stale handle succeeds, as in {@link
   * #delete}.
   */
  public Mono<List<Optional<ApiException>>> deleteBatch(Queue queue, List<String> receiptHandles) {
    List<Optional<ApiException>> outcomes = new ArrayList<>();
    List<ReceiptHandle> valid = new ArrayList<>();
    for (String receiptHandle : receiptHandles) {
      try {
        valid.add(handleOf(queue, receiptHandle));
        outcomes.add(Optional.empty());
      } catch (ApiException refused) {
        outcomes.add(Optional.of(refused));
      }
    }
    if (valid.isEmpty()) {
      return Mono.just(outcomes);
    }
    return messages
        .deleteAll(queue.id(), valid)
        // A FIFO group may be unblocked now.
        .doOnNext(rows -> signalIf(queue.fifo() && rows > 0, queue))
        .thenReturn(outcomes);
  }

  /** Changes how long a message in flight stays invisible (0: visible now). */
  public Mono<Void> changeVisibility(Queue queue, String receiptHandle, int seconds) {
    if (seconds < 0 || seconds > QueueSettings.MAX_VISIBILITY_TIMEOUT) {
      return Mono.error(
          QueueErrors.invalidParameter(
              "Value "
                  + seconds
                  + " for parameter VisibilityTimeout is invalid. Reason: Must be"
                  + " between 0 and 43200."));
    }
    ReceiptHandle handle = handleOf(queue, receiptHandle);
    return messages
        .changeVisibility(handle, seconds)
        .flatMap(
            rows -> {
              if (rows == 0) {
                return Mono.error(QueueErrors.messageNotInflight());
              }
              signalIf(seconds == 0, queue);
              return Mono.<Void>empty();
            });
  }

  /** Wakes the queue's receivers (once the statement that made a message visible committed). */
  private void signalIf(boolean madeVisible, Queue queue) {
    if (madeVisible) {
      signals.signal(queue.id());
    }
  }

  private static ReceiptHandle handleOf(Queue queue, String receiptHandle) {
    ReceiptHandle handle = ReceiptHandle.decode(receiptHandle);
    if (!handle.queueId().equals(queue.id())) {
      throw QueueErrors.receiptHandleIsInvalid(
          "The receipt handle \"" + receiptHandle + "\" is not valid for this queue.");
    }
    return handle;
  }

  private static MessageRepository.NewRow row(
      UUID id,
      Queue queue,
      NewMessage message,
      String md5,
      String md5Attributes,
      String dedup,
      String senderId,
      int delay) {
    return new MessageRepository.NewRow(
        id,
        queue.id(),
        message.body(),
        message.attributes(),
        md5,
        md5Attributes,
        queue.fifo() ? message.groupId() : null,
        dedup,
        senderId,
        queue.fifo() ? queue.settings().delaySeconds() : delay,
        queue.settings().messageRetentionPeriod());
  }

  /** Checks a message against SQS's rules; returns its delay in seconds. */
  private static int checkSend(Queue queue, NewMessage message) {
    String body = message.body();
    if (body == null || body.isEmpty()) {
      throw QueueErrors.missingParameter("MessageBody");
    }
    checkCharacters(body);
    MessageAttribute.check(message.attributes());
    int size = body.getBytes(StandardCharsets.UTF_8).length;
    for (Map.Entry<String, MessageAttribute> attribute : message.attributes().entrySet()) {
      size += attribute.getValue().size(attribute.getKey());
    }
    int limit = queue.settings().maximumMessageSize();
    if (size > limit) {
      throw QueueErrors.invalidParameter(
          "One or more parameters are invalid. Reason: Message must be shorter than "
              + limit
              + " bytes.");
    }
    if (queue.fifo()) {
      if (message.groupId() == null || message.groupId().isEmpty()) {
        throw QueueErrors.missingParameter("MessageGroupId");
      }
      checkFifoId("MessageGroupId", message.groupId());
      if (message.deduplicationId() == null && !queue.settings().contentBasedDeduplication()) {
        throw QueueErrors.invalidParameter(
            "The queue should either have ContentBasedDeduplication enabled or"
                + " MessageDeduplicationId provided explicitly");
      }
      if (message.deduplicationId() != null) {
        checkFifoId("MessageDeduplicationId", message.deduplicationId());
      }
      if (message.delaySeconds() != null && message.delaySeconds() != 0) {
        throw QueueErrors.invalidParameter(
            "Value "
                + message.delaySeconds()
                + " for parameter DelaySeconds is invalid. Reason:"
                + " The request include parameter that is not valid for this queue type.");
      }
      return queue.settings().delaySeconds();
    }
    if (message.deduplicationId() != null) {
      throw QueueErrors.invalidParameter(
          "The request include parameter MessageDeduplicationId that is not valid for this queue"
              + " type.");
    }
    int delay =
        message.delaySeconds() != null ? message.delaySeconds() : queue.settings().delaySeconds();
    if (delay < 0 || delay > QueueSettings.MAX_DELAY) {
      throw QueueErrors.invalidParameter(
          "Value "
              + delay
              + " for parameter DelaySeconds is invalid. Reason: DelaySeconds must be"
              + " >= 0 and <= 900.");
    }
    return delay;
  }

  private static void checkFifoId(String name, String value) {
    if (value.length() > 128 || !value.chars().allMatch(c -> c >= 33 && c <= 126)) {
      throw QueueErrors.invalidParameter(
          "Value "
              + value
              + " for parameter "
              + name
              + " is invalid. Reason: up to 128"
              + " alphanumeric or punctuation characters.");
    }
  }

  private static void checkCharacters(String body) {
    int invalid = SqsCharacters.firstInvalid(body);
    if (invalid >= 0) {
      throw QueueErrors.invalidMessageContents(
          "Invalid binary character '"
              + SqsCharacters.named(invalid)
              + "' was found in the"
              + " message body, the set of allowed characters is #x9 | #xA | #xD |"
              + " #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
    }
  }
}
