package dev.cumulus.storage.object.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One version of an object: its metadata, with its bytes at {@code storagePath} in the blob store
 * or, for a small object, {@code inline} in its metadata row.
 *
 * @param versionId S3's version id ({@link #NULL_VERSION} for writes while versioning is off)
 * @param latest whether this is the key's current version
 * @param deleteMarker a delete marker has no bytes (null etag, content type and path)
 * @param encrypted whether its bytes are encrypted at rest (S3's SSE-S3)
 * @param inline the bytes of a small object kept with its metadata (then {@code storagePath} is
 *     null); null when they are in the blob store, for delete markers, and in listings
 * @param tags its S3 object tags (none for a delete marker)
 * @param partSizes the sizes of the parts it was assembled from, in order, when it was completed
 *     from a multipart upload; empty when it was written in one part
 * @param retention its S3 Object Lock retention, null for none
 * @param legalHold its S3 legal hold (ON: true), null when none was ever set
 * @param customerKey the salted fingerprint of the key the client sealed it with (S3's SSE-C, then
 *     {@code encrypted} too), null otherwise; the key itself is never kept
 * @param checksum the checksum the client sent with it ({@code x-amz-checksum-*}), null for none
 */
public record StoredObject(
    UUID bucketId,
    String key,
    long size,
    String etag,
    String contentType,
    Map<String, String> userMetadata,
    String storagePath,
    Instant lastModified,
    String versionId,
    boolean latest,
    boolean deleteMarker,
    boolean encrypted,
    byte[] inline,
    Map<String, String> tags,
    List<Long> partSizes,
    Retention retention,
    Boolean legalHold,
    byte[] customerKey,
    ObjectChecksum checksum) {

  public StoredObject {
    tags = tags == null ? Map.of() : tags;
    partSizes = partSizes == null ? List.of() : List.copyOf(partSizes);
  }

  /** A version written in one part. */
  public StoredObject(
      UUID bucketId,
      String key,
      long size,
      String etag,
      String contentType,
      Map<String, String> userMetadata,
      String storagePath,
      Instant lastModified,
      String versionId,
      boolean latest,
      boolean deleteMarker,
      boolean encrypted,
      byte[] inline,
      Map<String, String> tags) {
    this(
        bucketId,
        key,
        size,
        etag,
        contentType,
        userMetadata,
        storagePath,
        lastModified,
        versionId,
        latest,
        deleteMarker,
        encrypted,
        inline,
        tags,
        List.of(),
        null,
        null,
        null,
        null);
  }

  /** Whether it was completed from a multipart upload (S3 then reports its parts' count). */
  public boolean multipart() {
    return !partSizes.isEmpty();
  }

  /** How many parts S3's {@code partNumber} can name: 1 for an object written in one part. */
  public int partCount() {
    return multipart() ? partSizes.size() : 1;
  }

  /**
   * The bytes of part {@code partNumber} (1-based) as an inclusive range; the whole object for part
   * 1 of an object written in one part; empty when there is no such part (or the part is empty).
   */
  public Optional<ByteRange> part(int partNumber) {
    if (partNumber < 1 || partNumber > partCount()) {
      return Optional.empty();
    }
    if (!multipart()) {
      return size == 0 ? Optional.empty() : Optional.of(new ByteRange(0, size - 1));
    }
    long first = 0;
    for (int i = 0; i < partNumber - 1; i++) {
      first += partSizes.get(i);
    }
    long length = partSizes.get(partNumber - 1);
    return length == 0 ? Optional.empty() : Optional.of(new ByteRange(first, first + length - 1));
  }

  /** Whether its bytes are sealed under a key the client holds (S3's SSE-C). */
  public boolean customerEncrypted() {
    return customerKey != null;
  }

  /** The version id of objects written while versioning is not enabled. */
  public static final String NULL_VERSION = "null";

  /** This version as shown to clients: {@code versionId} null hides it (unversioned buckets). */
  public StoredObject withVersionId(String shown) {
    return new StoredObject(
        bucketId,
        key,
        size,
        etag,
        contentType,
        userMetadata,
        storagePath,
        lastModified,
        shown,
        latest,
        deleteMarker,
        encrypted,
        inline,
        tags,
        partSizes,
        retention,
        legalHold,
        customerKey,
        checksum);
  }

  /** This version with the given Object Lock retention (null: none) and legal hold. */
  public StoredObject withLock(Retention retention, Boolean legalHold) {
    return new StoredObject(
        bucketId,
        key,
        size,
        etag,
        contentType,
        userMetadata,
        storagePath,
        lastModified,
        versionId,
        latest,
        deleteMarker,
        encrypted,
        inline,
        tags,
        partSizes,
        retention,
        legalHold,
        customerKey,
        checksum);
  }

  /** A delete marker, the latest version of its key. */
  public static StoredObject deleteMarker(
      UUID bucketId, String key, String versionId, Instant when) {
    return new StoredObject(
        bucketId, key, 0, null, null, Map.of(), null, when, versionId, true, true, false, null,
        Map.of());
  }
}
