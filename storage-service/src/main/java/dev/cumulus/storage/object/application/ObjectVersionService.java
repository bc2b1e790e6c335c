package dev.cumulus.storage.object.application;

import dev.cumulus.platform.error.ErrorKind;
import dev.cumulus.platform.instance.Instance;
import dev.cumulus.storage.bucket.application.BucketService;
import dev.cumulus.storage.common.StorageErrors;
import dev.cumulus.storage.object.domain.ObjectKeys;
import dev.cumulus.storage.object.domain.StoredObject;
import dev.cumulus.storage.object.domain.VersionPage;
import dev.cumulus.storage.object.domain.VersionQuery;
import dev.cumulus.storage.object.persistence.ObjectRepository;
import dev.cumulus.storage.object.persistence.ObjectRepository.VersionRow;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** S3's ListObjectVersions: every version and delete marker, each key's newest first. */
@Service
public class ObjectVersionService {

  private final BucketService buckets;
  private final ObjectRepository objects;

  public ObjectVersionService(BucketService buckets, ObjectRepository objects) {
    this.buckets = buckets;
    this.objects = objects;
  }

  public Mono<VersionPage> list(Instance instance, String bucketName, VersionQuery query) {
    if (query.maxKeys() < 0 || query.maxKeys() > ObjectLister.MAX_KEYS) {
      return Mono.error(
          StorageErrors.invalidRequest("maxKeys must be between 0 and " + ObjectLister.MAX_KEYS));
    }
    return buckets
        .requireRecent(instance, bucketName)
        .flatMap(
            bucket -> {
              if (query.maxKeys() == 0) {
                return Mono.just(new VersionPage(List.of(), List.of(), false, null, null));
              }
              Mono<Long> start =
                  query.versionIdMarker() == null
                      ? Mono.just(0L)
                      : objects
                          .sequenceOf(bucket.id(), query.keyMarker(), query.versionIdMarker())
                          .switchIfEmpty(
                              Mono.error(
                                  () ->
                                      StorageErrors.of(
                                          ErrorKind.BAD_REQUEST,
                                          "InvalidArgument",
                                          "Invalid version id specified",
                                          query.versionIdMarker())));
              return start.flatMap(seq -> new Listing(bucket.id(), query, seq).next());
            });
  }

  /**
   * One listing in progress, read in batches from a (key, version) position. A common prefix counts
   * once towards maxKeys and the next read skips past all of its keys; a prefix equal to the key
   * marker was on the previous page.
   */
  private final class Listing {
    private final UUID bucketId;
    private final VersionQuery query;
    private final int batch;
    private final List<StoredObject> found = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private String afterKey;
    private long beforeSeq;
    private String nextKey;
    private String nextVersion;

    Listing(UUID bucketId, VersionQuery query, long beforeSeq) {
      this.bucketId = bucketId;
      this.query = query;
      this.batch = Math.min(query.maxKeys() + 1, ObjectLister.MAX_KEYS);
      this.afterKey = query.keyMarker();
      this.beforeSeq = beforeSeq;
    }

    Mono<VersionPage> next() {
      return objects
          .listVersions(bucketId, query.prefix(), afterKey, beforeSeq, batch)
          .collectList()
          .flatMap(
              rows -> {
                for (VersionRow row : rows) {
                  String key = row.object().key();
                  String rolledUp = commonPrefix(key);
                  if (rolledUp != null
                      && (rolledUp.equals(last(prefixes)) || rolledUp.equals(query.keyMarker()))) {
                    skipPast(rolledUp);
                    continue;
                  }
                  if (found.size() + prefixes.size() == query.maxKeys()) {
                    return Mono.just(page(true));
                  }
                  if (rolledUp != null) {
                    prefixes.add(rolledUp);
                    skipPast(rolledUp);
                    nextKey = rolledUp;
                    nextVersion = null;
                  } else {
                    found.add(row.object());
                    afterKey = key;
                    beforeSeq = row.seq();
                    nextKey = key;
                    nextVersion = row.object().versionId();
                  }
                }
                return rows.size() < batch ? Mono.just(page(false)) : next();
              });
    }

    private void skipPast(String prefix) {
      afterKey = prefix + ObjectKeys.PAST;
      beforeSeq = 0;
    }

    private String commonPrefix(String key) {
      return ObjectKeys.commonPrefix(key, query.prefix(), query.delimiter());
    }

    private VersionPage page(boolean truncated) {
      return new VersionPage(
          List.copyOf(found),
          List.copyOf(prefixes),
          truncated,
          truncated ? nextKey : null,
          truncated ? nextVersion : null);
    }

    private static String last(List<String> list) {
      return list.isEmpty() ? null : list.get(list.size() - 1);
    }
  }
}
