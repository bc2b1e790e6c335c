import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB throughput and latency: one AWS SDK v2 client, the same settings for every target.
 *
 * <pre>
 * java -cp "$(cat client-classpath.txt)" DynamoBench.java LABEL ENDPOINT ACCESS_KEY SECRET_KEY
 * </pre>
 *
 * <p>On a fresh table (hash {@code pk} S, range {@code sk} N, on demand): 1,000 items of ~200 bytes
 * for GetItem and one hash key of 100 items for Query are loaded with BatchWriteItem; after WARMUP
 * seconds of the mix, for each concurrency level of LEVELS ("4 32") each phase runs DURATION
 * seconds: PutItem of a new ~200-byte item, GetItem of a random loaded item, a conditional
 * UpdateItem of one, Query of the 100-item hash key (one page), BatchWriteItem of 25 new items. Every answer is checked (the item's payload, 100 items); a failure counts as
 * an error, the client does not retry. Per phase: operations/s, p50 and p99 in ms.
 *
 * <p>The last line is machine-readable: {@code RESULT label} then, per level and per operation
 * (put, get, update, query, batch), {@code ops/s p50 p99}, then the error count.
 */
public class DynamoBench {

  static final int DURATION = Integer.parseInt(env("DURATION", "10"));
  static final int WARMUP = Integer.parseInt(env("WARMUP", "15"));
  static final int[] LEVELS =
      Arrays.stream(env("LEVELS", "4 32").trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
  static final int LOADED = 1000;
  static final String PAYLOAD = "x".repeat(160);
  static final AtomicLong ERRORS = new AtomicLong();
  static final AtomicLong SEQUENCE = new AtomicLong();

  interface Call {
    void run(DynamoDbClient dynamo, String table);
  }

  public static void main(String[] args) throws Exception {
    String label = args[0];
    int maxThreads = Arrays.stream(LEVELS).max().orElse(32);
    try (DynamoDbClient dynamo = client(args[1], args[2], args[3], maxThreads + 4)) {
      String table = "bench-" + Long.toString(System.currentTimeMillis(), 36);
      createWhenReady(dynamo, table);
      load(dynamo, table);
      System.out.printf("%s: warm-up %d s%n", label, WARMUP);
      long warmUntil = System.nanoTime() + WARMUP * 1_000_000_000L;
      while (System.nanoTime() < warmUntil) {
        for (Call call :
            List.<Call>of(
                DynamoBench::put,
                DynamoBench::get,
                DynamoBench::update,
                DynamoBench::query,
                DynamoBench::batch)) {
          phase(dynamo, table, 8, 2, call);
        }
      }
      ERRORS.set(0);
      List<String> results = new ArrayList<>();
      for (int threads : LEVELS) {
        StringBuilder line = new StringBuilder();
        for (var op : List.of(
            Map.entry("put", (Call) DynamoBench::put),
            Map.entry("get", (Call) DynamoBench::get),
            Map.entry("update", (Call) DynamoBench::update),
            Map.entry("query(100)", (Call) DynamoBench::query),
            Map.entry("batch(25)", (Call) DynamoBench::batch))) {
          double[] r = phase(dynamo, table, threads, DURATION, op.getValue());
          line.append(
              String.format(
                  Locale.ROOT, "  %s %7.0f/s p50 %.2f p99 %.2f ms", op.getKey(), r[0], r[1], r[2]));
          results.add(String.format(Locale.ROOT, "%.0f %.2f %.2f", r[0], r[1], r[2]));
        }
        System.out.printf("%s: %2d callers:%s%n", label, threads, line);
      }
      dynamo.deleteTable(b -> b.tableName(table));
      System.out.printf("%s: errors %d%n", label, ERRORS.get());
      System.out.printf("RESULT %s %s %d%n", label, String.join(" ", results), ERRORS.get());
    }
  }

  /** `threads` callers run `call` for `seconds`: {calls/s, p50 ms, p99 ms}. */
  static double[] phase(DynamoDbClient dynamo, String table, int threads, int seconds, Call call)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    AtomicLong lastEnd = new AtomicLong(start);
    List<Future<long[]>> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      callers.add(
          pool.submit(
              () -> {
                long[] latencies = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < until) {
                  long began = System.nanoTime();
                  try {
                    call.run(dynamo, table);
                  } catch (RuntimeException e) {
                    ERRORS.incrementAndGet();
                    continue;
                  }
                  if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, n * 2);
                  }
                  latencies[n++] = System.nanoTime() - began;
                }
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                return Arrays.copyOf(latencies, n);
              }));
    }
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> caller : callers) {
      all.add(caller.get());
    }
    pool.shutdown();
    long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    if (merged.length == 0) {
      return new double[] {0, 0, 0};
    }
    double rate = merged.length / ((lastEnd.get() - start) / 1e9);
    return new double[] {
      rate,
      merged[(int) (merged.length * 0.50)] / 1e6,
      merged[Math.min(merged.length - 1, (int) (merged.length * 0.99))] / 1e6
    };
  }

  static Map<String, AttributeValue> item(String pk, long sk) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(pk));
    item.put("sk", AttributeValue.fromN(Long.toString(sk)));
    item.put("payload", AttributeValue.fromS(PAYLOAD));
    item.put("n", AttributeValue.fromN(Long.toString(sk * 7)));
    return item;
  }

  static void put(DynamoDbClient dynamo, String table) {
    dynamo.putItem(b -> b.tableName(table).item(item("p" + SEQUENCE.incrementAndGet(), 0)));
  }

  static void get(DynamoDbClient dynamo, String table) {
    int i = ThreadLocalRandom.current().nextInt(LOADED);
    var got =
        dynamo.getItem(
            b ->
                b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("g" + i), "sk", AttributeValue.fromN("0"))));
    if (!got.hasItem() || !PAYLOAD.equals(got.item().get("payload").s())) {
      throw new IllegalStateException("item g" + i + " missing or wrong");
    }
  }

  /** UpdateItem with a condition: increments a loaded item's counter if the item exists. */
  static void update(DynamoDbClient dynamo, String table) {
    int i = ThreadLocalRandom.current().nextInt(LOADED);
    dynamo.updateItem(
        b ->
            b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("g" + i), "sk", AttributeValue.fromN("0")))
                .updateExpression("SET n = n + :one")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
  }

  /** BatchWriteItem of 25 new items (one call; all 25 must be processed). */
  static void batch(DynamoDbClient dynamo, String table) {
    List<WriteRequest> writes = new ArrayList<>(25);
    for (int i = 0; i < 25; i++) {
      var item = item("b" + SEQUENCE.incrementAndGet(), 0);
      writes.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
    }
    var answer = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, writes)));
    if (answer.hasUnprocessedItems() && !answer.unprocessedItems().isEmpty()) {
      throw new IllegalStateException("unprocessed items");
    }
  }

  static void query(DynamoDbClient dynamo, String table) {
    var page =
        dynamo.query(
            b ->
                b.tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("q"))));
    if (page.count() != 100 || page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
      throw new IllegalStateException("query answered " + page.count() + " items");
    }
  }

  /** GetItem's 1,000 items and Query's 100, in batches of 25. */
  static void load(DynamoDbClient dynamo, String table) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (int i = 0; i < LOADED; i++) {
      items.add(item("g" + i, 0));
    }
    for (int i = 0; i < 100; i++) {
      items.add(item("q", i));
    }
    for (int from = 0; from < items.size(); from += 25) {
      List<WriteRequest> batch =
          items.subList(from, Math.min(items.size(), from + 25)).stream()
              .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build())
              .toList();
      var answer = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
      if (answer.hasUnprocessedItems() && !answer.unprocessedItems().isEmpty()) {
        throw new IllegalStateException("unprocessed items while loading");
      }
    }
  }

  /** Creates the table, retrying while the instance is not known yet; waits until ACTIVE. */
  static void createWhenReady(DynamoDbClient dynamo, String table) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try {
        dynamo.createTable(
            b ->
                b.tableName(table)
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build(),
                        AttributeDefinition.builder()
                            .attributeName("sk")
                            .attributeType(ScalarAttributeType.N)
                            .build())
                    .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        break;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
    dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
  }

  static DynamoDbClient client(String endpoint, String access, String secret, int connections) {
    return DynamoDbClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
        .httpClientBuilder(
            Apache5HttpClient.builder()
                .maxConnections(connections)
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
