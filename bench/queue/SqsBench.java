import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * SQS throughput and long-poll latency: one AWS SDK v2 client, the same settings for every target.
 *
 * <pre>
 * java -cp "$(cat client-classpath.txt)" SqsBench.java LABEL ENDPOINT ACCESS_KEY SECRET_KEY
 * </pre>
 *
 * <p>For each concurrency level of LEVELS ("4 32"), on a fresh queue, each phase DURATION seconds
 * (after WARMUP seconds of the same mix on a queue of its own): SendMessage of one 256-byte message
 * per call (messages/s), SendMessageBatch of 10 (messages/s), then ReceiveMessage of up to 10
 * (no wait) each followed by DeleteMessageBatch of what it got (messages/s), until DURATION is up
 * or the queue is empty. Every answer is checked (ids, MD5s by the SDK, batch failures, bodies of
 * what was received): a failure counts as an error, the client does not retry. Then the long-poll
 * wake-up: a ReceiveMessage waiting (WaitTimeSeconds 20) on an empty queue, a SendMessage 100 ms
 * later; the wake-up is the time from the start of that SendMessage to the return of the receive
 * (so it includes the send's own round trip, reported alongside), WAKEUPS (50) times: p50 and p90.
 *
 * <p>The last line is machine-readable: {@code RESULT label send4 batch4 recv4 send32 batch32
 * recv32 wakeP50ms sendP50ms errors}.
 */
public class SqsBench {

  static final int DURATION = Integer.parseInt(env("DURATION", "10"));
  static final int WARMUP = Integer.parseInt(env("WARMUP", "20"));
  /** Which parts run: send batch recv wake (a bare server without storage runs "send batch"). */
  static final java.util.Set<String> PHASES =
      java.util.Set.of(env("PHASES", "send batch recv wake").trim().split("\\s+"));
  static final int WAKEUPS = Integer.parseInt(env("WAKEUPS", "50"));
  static final int[] LEVELS =
      Arrays.stream(env("LEVELS", "4 32").trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
  static final String BODY = "x".repeat(256);
  static final AtomicLong ERRORS = new AtomicLong();

  public static void main(String[] args) throws Exception {
    String label = args[0];
    int maxThreads = Arrays.stream(LEVELS).max().orElse(32);
    try (SqsClient sqs = client(args[1], args[2], args[3], maxThreads + 4)) {
      String run = Long.toString(System.currentTimeMillis(), 36);
      String warm = createWhenReady(sqs, "bench-warm-" + run);
      System.out.printf("%s: warm-up %d s%n", label, WARMUP);
      long warmUntil = System.nanoTime() + WARMUP * 1_000_000_000L;
      while (System.nanoTime() < warmUntil) {
        if (PHASES.contains("send")) phase(sqs, warm, 8, 3, () -> send(sqs, warm));
        if (PHASES.contains("batch")) phase(sqs, warm, 8, 3, () -> sendBatch(sqs, warm));
        if (PHASES.contains("recv")) phase(sqs, warm, 8, 3, () -> receiveAndDelete(sqs, warm));
      }
      ERRORS.set(0);
      List<String> results = new ArrayList<>();
      for (int threads : LEVELS) {
        String q = sqs.createQueue(b -> b.queueName("bench-" + threads + "-" + run)).queueUrl();
        double send = !PHASES.contains("send") ? 0 : phase(sqs, q, threads, DURATION, () -> send(sqs, q));
        double batch =
            !PHASES.contains("batch") ? 0 : phase(sqs, q, threads, DURATION, () -> sendBatch(sqs, q));
        double recv =
            !PHASES.contains("recv")
                ? 0
                : phase(sqs, q, threads, DURATION, () -> receiveAndDelete(sqs, q));
        System.out.printf(
            Locale.ROOT,
            "%s: %2d callers: send %8.0f msg/s   batch(10) %8.0f msg/s   receive(10)+delete %8.0f msg/s%n",
            label, threads, send, batch, recv);
        results.addAll(List.of(fmt(send), fmt(batch), fmt(recv)));
        sqs.deleteQueue(b -> b.queueUrl(q));
      }
      double[] wake =
          !PHASES.contains("wake")
              ? new double[3]
              : wakeups(sqs, sqs.createQueue(b -> b.queueName("bench-wake-" + run)).queueUrl());
      System.out.printf(
          Locale.ROOT,
          "%s: long-poll wake-up p50 %.2f ms, p90 %.2f ms (the SendMessage alone: p50 %.2f ms); errors %d%n",
          label, wake[0], wake[1], wake[2], ERRORS.get());
      sqs.deleteQueue(b -> b.queueUrl(warm));
      System.out.printf(
          Locale.ROOT,
          "RESULT %s %s %.2f %.2f %d%n",
          label, String.join(" ", results), wake[0], wake[2], ERRORS.get());
    }
  }

  /** `threads` callers run `call` (messages it handled; 0 = nothing left) for `seconds`: msg/s. */
  static double phase(SqsClient sqs, String queue, int threads, int seconds, LongSupplier call)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong messages = new AtomicLong();
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    AtomicLong lastEnd = new AtomicLong(start);
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      callers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < until) {
                  long n;
                  try {
                    n = call.getAsLong();
                  } catch (RuntimeException e) {
                    ERRORS.incrementAndGet();
                    continue;
                  }
                  if (n == 0) {
                    break;
                  }
                  messages.addAndGet(n);
                }
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
              }));
    }
    for (Future<?> caller : callers) {
      caller.get();
    }
    pool.shutdown();
    return messages.get() / ((lastEnd.get() - start) / 1e9);
  }

  static long send(SqsClient sqs, String queue) {
    String id = sqs.sendMessage(b -> b.queueUrl(queue).messageBody(BODY)).messageId();
    if (id == null || id.isEmpty()) {
      throw new IllegalStateException("no message id");
    }
    return 1;
  }

  static final List<SendMessageBatchRequestEntry> TEN =
      java.util.stream.IntStream.range(0, 10)
          .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(BODY).build())
          .toList();

  static long sendBatch(SqsClient sqs, String queue) {
    SendMessageBatchResponse answer = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(TEN));
    if (!answer.failed().isEmpty() || answer.successful().size() != 10) {
      throw new IllegalStateException("batch failures: " + answer.failed());
    }
    return 10;
  }

  static long receiveAndDelete(SqsClient sqs, String queue) {
    List<Message> got =
        sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(0))
            .messages();
    if (got.isEmpty()) {
      return 0;
    }
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < got.size(); i++) {
      if (!BODY.equals(got.get(i).body())) {
        throw new IllegalStateException("wrong body received");
      }
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id("d" + i)
              .receiptHandle(got.get(i).receiptHandle())
              .build());
    }
    DeleteMessageBatchResponse deleted =
        sqs.deleteMessageBatch(b -> b.queueUrl(queue).entries(entries));
    if (!deleted.failed().isEmpty()) {
      throw new IllegalStateException("delete failures: " + deleted.failed());
    }
    return got.size();
  }

  /** {p50 wake-up, p90 wake-up, p50 of the SendMessage alone}, in ms. */
  static double[] wakeups(SqsClient sqs, String queue) throws Exception {
    ExecutorService receiver = Executors.newSingleThreadExecutor();
    double[] wake = new double[WAKEUPS];
    double[] sendOnly = new double[WAKEUPS];
    for (int i = 0; i < WAKEUPS; i++) {
      Future<Long> received =
          receiver.submit(
              () -> {
                List<Message> got =
                    sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(20)).messages();
                long at = System.nanoTime();
                if (got.size() != 1) {
                  throw new IllegalStateException("the long poll returned " + got.size());
                }
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(got.get(0).receiptHandle()));
                return at;
              });
      Thread.sleep(100); // the receive is waiting by now
      long sent = System.nanoTime();
      send(sqs, queue);
      sendOnly[i] = (System.nanoTime() - sent) / 1e6;
      try {
        wake[i] = (received.get() - sent) / 1e6;
      } catch (Exception e) {
        ERRORS.incrementAndGet();
        wake[i] = Double.NaN;
      }
    }
    receiver.shutdown();
    return new double[] {percentile(wake, 50), percentile(wake, 90), percentile(sendOnly, 50)};
  }

  static double percentile(double[] values, int p) {
    double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  /** The first call may fail while the target has not learnt of the instance (Kafka). */
  static String createWhenReady(SqsClient sqs, String name) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        return sqs.createQueue(b -> b.queueName(name)).queueUrl();
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  static SqsClient client(String endpoint, String accessKey, String secret, int connections) {
    return SqsClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.of(env("REGION", "us-east-1")))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClient(
            Apache5HttpClient.builder()
                .maxConnections(connections)
                .socketTimeout(Duration.ofSeconds(30))
                .build())
        .build();
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
