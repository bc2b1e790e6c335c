package dev.cumulus.storage.object.application;

import dev.cumulus.platform.events.Outbox;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.bucket.domain.Bucket;
import dev.cumulus.storage.object.domain.StoredObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The {@code object.created} and {@code object.deleted} events, written to the outbox. */
@Component
class ObjectEvents {

  private final Outbox outbox;

  ObjectEvents(Outbox outbox) {
    this.outbox = outbox;
  }

  /** Appends the event inside the caller's transaction. */
  Mono<UUID> append(Instance instance, Bucket bucket, StoredObject object, String verb) {
    return row(instance, bucket, object, verb).flatMap(outbox::append);
  }

  /** The outbox row of an object event, for {@link Outbox#append} or the commit statement. */
  Mono<Outbox.Row> row(Instance instance, Bucket bucket, StoredObject object, String verb) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", instance.tenantId());
    data.put("serviceId", instance.serviceId());
    data.put("bucket", bucket.name());
    data.put("key", object.key());
    if (object.versionId() != null) {
      data.put("versionId", object.versionId());
    }
    if (object.deleteMarker()) {
      data.put("deleteMarker", true);
    }
    if ("created".equals(verb)) {
      data.put("size", object.size());
      data.put("etag", object.etag());
      data.put("contentType", object.contentType());
    }
    return outbox.rowForTenant(
        instance.tenantId(),
        BucketService.TOPIC,
        instance.serviceId() + "/" + bucket.name() + "/" + object.key(),
        "object",
        verb,
        data);
  }

  /** Wakes the outbox relay once the caller's commit is through. */
  Mono<Void> signalRelayOnCommit() {
    return outbox.signalRelayOnCommit();
  }
}
