import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * kafka-service's REST produce and consume against the native Java client on the same broker and
 * topic, and the delivery latency of a platform event to the tenant's topic.
 *
 * <pre>
 * java -cp "$(cat classpath.txt)" KafkaBench.java
 * </pre>
 *
 * Settings come from the environment (run.sh sets them): KAFKA_URL (kafka-service's seed API base
 * of the bench instance, {@code .../api/kafka/<tenant>/<serviceId>}), GATEWAY_KAFKA_URL (the same
 * through the gateway), TOKEN (bearer), BOOTSTRAP (the platform's listener), TOPIC (the instance's
 * topic name), BROKER_TOPIC (its name on the broker), CALLERS, DURATION, WARMUP, CONSUME_LIMIT,
 * STORAGE_URL + EVENT_TOPIC + LATENCIES (the event latency; skipped without STORAGE_URL).
 *
 * <p>Produce: CALLERS threads, each repeating one unit of work for DURATION seconds: 100 records
 * of 1 KiB, sent and all acknowledged. Native: one shared KafkaProducer (acks=all, idempotent,
 * kafka-service's own settings), send x100 then wait for the 100 futures. REST: one POST of {@code
 * {"records":[...100]}} answered 201. msgs/s = records acknowledged / elapsed.
 *
 * <p>Consume: the same CONSUME_LIMIT records of the topic read once by each reader from the start.
 * Native: one KafkaConsumer, assigned every partition, polling. REST: one caller in a fresh
 * consumer group, GET {@code messages?consumerGroup=..&maxMessages=CONSUME_BATCH} until it has them all
 * (each call commits). msgs/s = records read / elapsed.
 *
 * <p>The last line is machine-readable: {@code RESULT nativeProduce restProduce gatewayProduce
 * nativeConsume restConsume gatewayConsume latencyP50 latencyP90 outboxP50 forwardP50 deliverP50
 * errors}.
 */
public class KafkaBench {

  static final int CALLERS = Integer.parseInt(env("CALLERS", "8"));
  static final int DURATION = Integer.parseInt(env("DURATION", "10"));
  static final int WARMUP = Integer.parseInt(env("WARMUP", "10"));
  static final int CONSUME_LIMIT = Integer.parseInt(env("CONSUME_LIMIT", "200000"));
  static final int LATENCIES = Integer.parseInt(env("LATENCIES", "30"));
  static final int CONSUME_BATCH = Integer.parseInt(env("CONSUME_BATCH", "2000"));
  static final int BATCH = 100;
  static final byte[] VALUE = "v".repeat(1024).getBytes(StandardCharsets.US_ASCII);
  static final AtomicLong ERRORS = new AtomicLong();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(4))
          .build();
  static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)\\}\\s*$");

  public static void main(String[] args) throws Exception {
    String direct = System.getenv("KAFKA_URL");
    String gateway = System.getenv("GATEWAY_KAFKA_URL");
    String topic = System.getenv("TOPIC");
    String brokerTopic = System.getenv("BROKER_TOPIC");
    String bootstrap = System.getenv("BOOTSTRAP");
    String body = batchBody();
    System.out.printf(
        "callers %d, %d s per produce phase (warm-up %d s), consume %d records (REST: %d a call)%n",
        CALLERS, DURATION, WARMUP, CONSUME_LIMIT, CONSUME_BATCH);
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      long warmUntil = System.nanoTime() + WARMUP * 1_000_000_000L;
      while (System.nanoTime() < warmUntil) {
        phase(2, () -> nativeBatch(producer, brokerTopic));
        phase(2, () -> restBatch(direct, topic, body));
        restConsume(direct, topic, 20_000);
        nativeConsume(bootstrap, brokerTopic, 20_000);
      }
      ERRORS.set(0);
      double nativeProduce = phase(DURATION, () -> nativeBatch(producer, brokerTopic));
      print("native produce", nativeProduce);
      double restProduce = phase(DURATION, () -> restBatch(direct, topic, body));
      print("REST produce (direct)", restProduce);
      double gatewayProduce =
          gateway == null ? 0 : phase(DURATION, () -> restBatch(gateway, topic, body));
      print("REST produce (gateway)", gatewayProduce);

      double nativeConsume = nativeConsume(bootstrap, brokerTopic, CONSUME_LIMIT);
      print("native consume", nativeConsume);
      double restConsume = restConsume(direct, topic, CONSUME_LIMIT);
      print("REST consume (direct)", restConsume);
      double gatewayConsume = gateway == null ? 0 : restConsume(gateway, topic, CONSUME_LIMIT);
      print("REST consume (gateway)", gatewayConsume);
      String floor = System.getenv("FLOOR_URL");
      if (floor != null) {
        restConsume(floor, topic, 20_000); // its JIT warmed like the others'
        double floorConsume = restConsume(floor, topic, CONSUME_LIMIT);
        print("consume floor (bare HTTP + native consumer)", floorConsume);
        System.out.printf(Locale.ROOT, "FLOOR %.0f%n", floorConsume);
      }

      double[] latency = new double[4];
      if (System.getenv("STORAGE_URL") != null) {
        latency = eventLatency(bootstrap, System.getenv("STORAGE_URL"), System.getenv("EVENT_TOPIC"));
      }
      System.out.printf(
          Locale.ROOT,
          "ratios: produce %.2f (gateway %.2f), consume %.2f (gateway %.2f) of native; errors %d%n",
          restProduce / nativeProduce,
          gatewayProduce / nativeProduce,
          restConsume / nativeConsume,
          gatewayConsume / nativeConsume,
          ERRORS.get());
      System.out.printf(
          Locale.ROOT,
          "RESULT %.0f %.0f %.0f %.0f %.0f %.0f %.1f %.1f %.1f %.1f %.1f %d%n",
          nativeProduce,
          restProduce,
          gatewayProduce,
          nativeConsume,
          restConsume,
          gatewayConsume,
          latency[0],
          latency[1],
          latency[2],
          latency[3],
          latency.length > 4 ? latency[4] : 0,
          ERRORS.get());
    }
    System.exit(0);
  }

  // --- produce --------------------------------------------------------------------------------

  interface Unit {
    int run() throws Exception; // records handled
  }

  /** CALLERS threads repeating the unit for the given seconds: records per second. */
  static double phase(int seconds, Unit unit) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    List<Future<?>> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      callers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < until) {
                  try {
                    done.addAndGet(unit.run());
                  } catch (Exception e) {
                    if (ERRORS.incrementAndGet() <= 3) {
                      System.out.println("error: " + e);
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> caller : callers) {
      caller.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return done.get() / elapsed;
  }

  static int nativeBatch(KafkaProducer<byte[], byte[]> producer, String topic) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      acks.add(producer.send(new ProducerRecord<>(topic, VALUE)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
    return BATCH;
  }

  static int restBatch(String base, String topic, String body) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            request(base + "/topics/" + topic + "/messages")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("produce: " + response.statusCode() + " " + head(response));
    }
    Matcher count = COUNT.matcher(response.body());
    if (!count.find() || Integer.parseInt(count.group(1)) != BATCH) {
      throw new IllegalStateException("produce: not " + BATCH + " records: " + head(response));
    }
    return BATCH;
  }

  static String batchBody() {
    String value = new String(VALUE, StandardCharsets.US_ASCII);
    StringBuilder body = new StringBuilder("{\"records\":[");
    for (int i = 0; i < BATCH; i++) {
      body.append(i == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
    }
    return body.append("]}").toString();
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  // --- consume --------------------------------------------------------------------------------

  /** One consumer, every partition from the start, until it has read {@code limit} records. */
  static double nativeConsume(String bootstrap, String topic, int limit) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, null)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      long start = System.nanoTime();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long read = 0;
      long bytes = 0;
      while (read < limit) {
        var records = consumer.poll(Duration.ofSeconds(2));
        if (records.isEmpty()) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          bytes += r.value().length;
          read++;
        }
      }
      if (read < limit) {
        System.out.println("native consume: only " + read + " records in the topic");
      }
      return read / ((System.nanoTime() - start) / 1e9) + 0 * bytes;
    }
  }

  /** One caller in a fresh group, CONSUME_BATCH records a call, until it has read {@code limit}. */
  static double restConsume(String base, String topic, int limit) throws Exception {
    String group = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    URI uri =
        URI.create(
            base + "/topics/" + topic + "/messages?consumerGroup=" + group
                + "&maxMessages=" + CONSUME_BATCH + "&timeoutMs=2000");
    long start = System.nanoTime();
    long read = 0;
    while (read < limit) {
      HttpResponse<String> response =
          HTTP.send(request(uri.toString()).GET().build(), HttpResponse.BodyHandlers.ofString());
      Matcher count = COUNT.matcher(response.body());
      if (response.statusCode() != 200 || !count.find()) {
        ERRORS.incrementAndGet();
        System.out.println("consume: " + response.statusCode() + " " + head(response));
        break;
      }
      int n = Integer.parseInt(count.group(1));
      if (n == 0) {
        System.out.println("REST consume: only " + read + " records in the topic");
        break;
      }
      read += n;
    }
    return read / ((System.nanoTime() - start) / 1e9);
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  // --- platform event -> tenant topic ---------------------------------------------------------

  /**
   * LATENCIES uploads through storage-service's seed API, one every 250 ms; for each, the time
   * from the upload's 201 (its transaction, with the outbox row, has committed) to the event's
   * arrival at a consumer of the tenant's topic, and where it went: the platform topic's record
   * timestamp (the outbox published it), the tenant topic's record timestamp (kafka-service
   * forwarded it). Returns p50 and p90 of the total, then p50 of outbox, forward and delivery.
   */
  static double[] eventLatency(String bootstrap, String storage, String eventTopic)
      throws Exception {
    Map<String, Long> platformTimes = new ConcurrentHashMap<>();
    Map<String, long[]> arrivals = new ConcurrentHashMap<>(); // subject -> {arrival, tenantTs, id}
    Map<String, String> ids = new ConcurrentHashMap<>();
    try (KafkaConsumer<byte[], byte[]> tenant = consumer(bootstrap, null);
        KafkaConsumer<byte[], byte[]> platform = consumer(bootstrap, null)) {
      java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean(true);
      assignAtEnd(tenant, eventTopic);
      assignAtEnd(platform, "cumulus.storage");
      Thread platformReader =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (reading.get()) {
                      for (ConsumerRecord<byte[], byte[]> r : platform.poll(Duration.ofMillis(100))) {
                        String id = header(r, "ce_id");
                        if (id != null) {
                          platformTimes.put(id, r.timestamp());
                        }
                      }
                    }
                  });
      Thread tenantReader =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (reading.get()) {
                      for (ConsumerRecord<byte[], byte[]> r : tenant.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        String subject = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                        String type = header(r, "ce_type");
                        if (type != null && type.contains("object.created")) {
                          ids.put(new String(r.value(), StandardCharsets.UTF_8), header(r, "ce_id"));
                          arrivals.put(new String(r.value(), StandardCharsets.UTF_8), new long[] {now, r.timestamp()});
                        }
                      }
                    }
                  });
      Thread.sleep(2000); // both readers positioned at the end
      List<long[]> samples = new ArrayList<>(); // total, outbox, forward, deliver
      for (int i = 0; i < LATENCIES; i++) {
        String key = "latency/" + UUID.randomUUID() + ".txt";
        long committed = upload(storage, key);
        long deadline = System.currentTimeMillis() + 10_000;
        long[] arrival = null;
        String value = null;
        while (arrival == null && System.currentTimeMillis() < deadline) {
          for (Map.Entry<String, long[]> e : arrivals.entrySet()) {
            if (e.getKey().contains(key)) {
              value = e.getKey();
              arrival = e.getValue();
            }
          }
          Thread.sleep(1);
        }
        if (arrival == null) {
          ERRORS.incrementAndGet();
          System.out.println("event of " + key + " did not arrive within 10 s");
          continue;
        }
        Long published = platformTimes.get(ids.get(value));
        long p = published == null ? arrival[1] : published;
        samples.add(
            new long[] {arrival[0] - committed, p - committed, arrival[1] - p, arrival[0] - arrival[1]});
        arrivals.remove(value);
        Thread.sleep(250);
      }
      reading.set(false);
      tenantReader.join(2000);
      platformReader.join(2000);
      double[] result = {
        percentile(samples, 0, 50),
        percentile(samples, 0, 90),
        percentile(samples, 1, 50),
        percentile(samples, 2, 50),
        percentile(samples, 3, 50)
      };
      System.out.printf(
          Locale.ROOT,
          "event latency (upload answered -> tenant topic consumer), %d events: p50 %.1f ms, p90 %.1f ms;"
              + " p50 of its parts: outbox (commit -> platform topic) %.1f ms, forward (platform ->"
              + " tenant topic) %.1f ms, delivery to the consumer %.1f ms%n",
          samples.size(), result[0], result[1], result[2], result[3], result[4]);
      return result;
    }
  }

  static void assignAtEnd(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic)) {
      partitions.add(new TopicPartition(topic, p.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
  }

  /** Uploads a small object with the seed API; the time its 201 arrived. */
  static long upload(String storage, String key) throws Exception {
    String boundary = "bench" + UUID.randomUUID();
    String body =
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n" + key + "\r\n"
            + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
    HttpResponse<String> response =
        HTTP.send(
            request(storage + "/objects")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long now = System.currentTimeMillis();
    if (response.statusCode() != 201) {
      throw new IllegalStateException("upload: " + response.statusCode() + " " + head(response));
    }
    return now;
  }

  static double percentile(List<long[]> samples, int column, int p) {
    if (samples.isEmpty()) {
      return 0;
    }
    long[] values = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
    return values[Math.min(values.length - 1, (int) Math.ceil(p / 100.0 * values.length) - 1)];
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  // --- helpers --------------------------------------------------------------------------------

  static HttpRequest.Builder request(String uri) {
    return HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + System.getenv("TOKEN"));
  }

  static String head(HttpResponse<String> response) {
    String body = response.body();
    return body.length() > 300 ? body.substring(0, 300) : body;
  }

  static void print(String what, double rate) {
    System.out.printf(Locale.ROOT, "%-24s %10.0f msg/s%n", what, rate);
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
