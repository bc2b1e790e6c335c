package dev.cumulus.function.sources.messaging;

import dev.cumulus.function.sources.domain.EventSource;
import dev.cumulus.function.sources.domain.EventSourceMapping;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository;
import dev.cumulus.function.sources.persistence.EventSourceMappingRepository.NewRecord;
import dev.cumulus.platform.events.ReceivedEvent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform events event sources need (binding {@code sourceEvents-in-0}: topics {@code
 * cumulus.service-instances} and {@code cumulus.storage}): which storage, kafka and queue instances
 * exist and whose they are; and storage-service's object events, turned into S3 event notification
 * records for the enabled mappings of that tenant's bucket. Runs in the inbox's transaction (one
 * per poll): a record is stored once per event id.
 */
class SourceEvents {

  static final String OBJECT_CREATED = "dev.cumulus.storage.object.created.v1";
  static final String OBJECT_DELETED = "dev.cumulus.storage.object.deleted.v1";

  private static final Set<String> SOURCE_TYPES = Set.of("s3storage", "kafka", "queue");
  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final EventSourceMappingRepository mappings;
  private final ObjectMapper json;
  private final String region;

  SourceEvents(EventSourceMappingRepository mappings, ObjectMapper json, String region) {
    this.mappings = mappings;
    this.json = json;
    this.region = region;
  }

  /** A poll's events, one after the other, each with its tenant and request ids in context. */
  Mono<Void> handleAll(List<ReceivedEvent> events) {
    return Flux.fromIterable(events)
        .concatMap(event -> handle(event).contextWrite(event::applyTo))
        .then();
  }

  Mono<Void> handle(ReceivedEvent event) {
    if (OBJECT_CREATED.equals(event.type()) || OBJECT_DELETED.equals(event.type())) {
      return objectEvent(event);
    }
    JsonNode data = json.readTree(event.data());
    String eventType = data.path("eventType").asString("");
    String type = data.path("data").path("serviceType").asString("").toLowerCase(Locale.ROOT);
    String serviceId = data.path("serviceId").asString("");
    if (!SOURCE_TYPES.contains(type) || serviceId.isEmpty()) {
      return Mono.empty();
    }
    return switch (eventType) {
      case "service.created" ->
          mappings.instanceCreated(
              serviceId, type, data.path("tenantId").asString(event.tenantId()));
      case "service.deleted" -> mappings.instanceDeleted(serviceId);
      default -> Mono.empty();
    };
  }

  private Mono<Void> objectEvent(ReceivedEvent event) {
    JsonNode data = json.readTree(event.data());
    String tenantId = data.path("tenantId").asString(event.tenantId());
    String serviceId = data.path("serviceId").asString("");
    String bucket = data.path("bucket").asString("");
    if (tenantId == null || serviceId.isEmpty() || bucket.isEmpty()) {
      return Mono.empty();
    }
    return mappings
        .of(EventSource.Type.S3, tenantId, serviceId, bucket)
        .concatMap(m -> mappings.addRecords(m.uuid(), List.of(record(m, event, data))))
        .then();
  }

  /** One record of an S3 event notification ({@code Records[i]}). */
  private NewRecord record(EventSourceMapping m, ReceivedEvent event, JsonNode data) {
    boolean created = OBJECT_CREATED.equals(event.type());
    ObjectNode r = json.createObjectNode();
    r.put("eventVersion", "2.1");
    r.put("eventSource", "aws:s3");
    r.put("awsRegion", region);
    r.put(
        "eventTime",
        EVENT_TIME.format(
            event.time() == null ? java.time.Instant.now() : event.time().toInstant()));
    String name;
    if (created) {
      name = "ObjectCreated:Put";
    } else if (data.path("deleteMarker").asBoolean(false)) {
      name = "ObjectRemoved:DeleteMarkerCreated";
    } else {
      name = "ObjectRemoved:Delete";
    }
    r.put("eventName", name);
    r.putObject("userIdentity").put("principalId", m.tenantId());
    r.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
    ObjectNode response = r.putObject("responseElements");
    response.put("x-amz-request-id", event.requestId() == null ? event.id() : event.requestId());
    response.put("x-amz-id-2", event.id());
    ObjectNode s3 = r.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", m.uuid().toString());
    ObjectNode bucket = s3.putObject("bucket");
    bucket.put("name", data.path("bucket").asString());
    bucket.putObject("ownerIdentity").put("principalId", m.tenantId());
    bucket.put("arn", "arn:aws:s3:::" + data.path("bucket").asString());
    ObjectNode object = s3.putObject("object");
    object.put("key", data.path("key").asString());
    if (created) {
      object.put("size", data.path("size").asLong());
      object.put("eTag", data.path("etag").asString("").replace("\"", ""));
    }
    if (data.hasNonNull("versionId")) {
      object.put("versionId", data.path("versionId").asString());
    }
    object.put("sequencer", event.id());
    return new NewRecord(event.id(), event.id(), json.writeValueAsString(r));
  }
}
