package dev.cumulus.storage.object.application;

import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.ListQuery;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.ObjectPage;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Object listings with S3's full semantics (prefix, delimiter roll-up, start position, page size),
 * for every web adapter; each adapter turns its own continuation tokens into {@link
 * ListQuery#after}.
 */
@Service
public class ObjectLister {

  /** The largest page a listing returns. */
  public static final int MAX_KEYS = 1000;

  private final BucketService buckets;
  private final ObjectRepository objects;

  ObjectLister(BucketService buckets, ObjectRepository objects) {
    this.buckets = buckets;
    this.objects = objects;
  }

  public Mono<ObjectPage> list(Instance instance, String bucketName, ListQuery query) {
    if (query.maxKeys() < 0 || query.maxKeys() > MAX_KEYS) {
      return Mono.error(StorageErrors.invalidRequest("maxKeys must be between 0 and " + MAX_KEYS));
    }
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket ->
                query.maxKeys() == 0
                    ? Mono.just(new ObjectPage(List.of(), false, null))
                    : new Listing(bucket.id(), query).next());
  }

  /**
   * One listing in progress: reads keys in batches and rolls them up at the delimiter. A common
   * prefix counts once towards maxKeys, and the next read skips past all of its keys.
   */
  private final class Listing {

    private final UUID bucketId;
    private final ListQuery query;
    private final int batch;
    private final List<StoredObject> found = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private String after;

    Listing(UUID bucketId, ListQuery query) {
      this.bucketId = bucketId;
      this.query = query;
      this.batch = Math.min(query.maxKeys() + 1, MAX_KEYS);
      this.after = query.after();
    }

    Mono<ObjectPage> next() {
      return objects
          .list(bucketId, query.prefix(), after, batch)
          .collectList()
          .flatMap(
              rows -> {
                for (StoredObject row : rows) {
                  String rolledUp = commonPrefix(row.key());
                  if (rolledUp != null && rolledUp.equals(last(prefixes))) {
                    continue;
                  }
                  if (found.size() + prefixes.size() == query.maxKeys()) {
                    return Mono.just(page(true));
                  }
                  if (rolledUp != null) {
                    prefixes.add(rolledUp);
                    after = rolledUp + ObjectKeys.PAST;
                  } else {
                    found.add(row);
                    after = row.key();
                  }
                }
                return rows.size() < batch ? Mono.just(page(false)) : next();
              });
    }

    private String commonPrefix(String key) {
      return ObjectKeys.commonPrefix(key, query.prefix(), query.delimiter());
    }

    private ObjectPage page(boolean truncated) {
      return new ObjectPage(
          List.copyOf(found),
          List.copyOf(prefixes),
          truncated,
          truncated ? ObjectKeys.token(after) : null);
    }

    private static String last(List<String> list) {
      return list.isEmpty() ? null : list.get(list.size() - 1);
    }
  }
}
