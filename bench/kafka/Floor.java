import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;

/**
 * The floor under issue 25's REST consume target, on kafka-service's own class path:
 * {@code Floor.java PORT BOOTSTRAP BROKER_TOPIC}, a bare reactor-netty server answering {@code
 * GET ...?consumerGroup=G&maxMessages=N} as the seed's consume does ({@code {"messages":[{topic,
 * partition, offset, timestamp, key, value}...], "count": N}}, values written from their UTF-8
 * bytes), from one native consumer per group name kept in memory and read from the beginning.
 * No Spring, no security, no committed-offset read and no commit: the records are only polled,
 * rendered and sent. KafkaBench's REST consumer reads it like kafka-service, so the ratio to the
 * native consumer is the most any HTTP consume endpoint on this machine could reach.
 */
public class Floor {

  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    String bootstrap = args[1];
    String topic = args[2];
    // One thread owns the consumers (KafkaConsumer is single-threaded), as in kafka-service.
    Scheduler consumerThread = Schedulers.fromExecutor(Executors.newSingleThreadExecutor());
    Map<String, KafkaConsumer<byte[], byte[]>> consumers = new HashMap<>();
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(port)
            .handle(
                (request, response) -> {
                  var query = new io.netty.handler.codec.http.QueryStringDecoder(request.uri());
                  String group = query.parameters().getOrDefault("consumerGroup", List.of("g")).get(0);
                  int max =
                      Integer.parseInt(
                          query.parameters().getOrDefault("maxMessages", List.of("500")).get(0));
                  return Mono.fromCallable(
                          () ->
                              render(
                                  topic,
                                  poll(
                                      consumers.computeIfAbsent(
                                          group, g -> consumer(bootstrap, topic)),
                                      max)))
                      .subscribeOn(consumerThread)
                      .flatMap(
                          body ->
                              response
                                  .header("Content-Type", "application/json")
                                  .sendObject(Unpooled.wrappedBuffer(body))
                                  .then());
                })
            .bindNow();
    System.out.println("consume floor on :" + port);
    server.onDispose().block();
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(topic)) {
      partitions.add(new TopicPartition(topic, p.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /** Up to {@code max} records: waits for the first ones, then takes what has been fetched. */
  static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer, int max) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    Duration wait = Duration.ofSeconds(2);
    while (out.size() < max) {
      var records = consumer.poll(wait);
      if (records.isEmpty()) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        out.add(r); // a few over max are fine for a floor: counted as delivered
      }
      wait = Duration.ZERO;
    }
    return out;
  }

  static byte[] render(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(records.size() * 1200 + 64);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeArrayPropertyStart("messages");
      for (ConsumerRecord<byte[], byte[]> r : records) {
        json.writeStartObject();
        json.writeStringProperty("topic", topic);
        json.writeNumberProperty("partition", r.partition());
        json.writeNumberProperty("offset", r.offset());
        json.writeNumberProperty("timestamp", r.timestamp());
        json.writeName("key");
        if (r.key() == null) {
          json.writeNull();
        } else {
          json.writeUTF8String(r.key(), 0, r.key().length);
        }
        json.writeName("value");
        json.writeUTF8String(r.value(), 0, r.value().length);
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeNumberProperty("count", records.size());
      json.writeEndObject();
    }
    return bytes.toByteArray();
  }
}
