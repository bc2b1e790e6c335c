package dev.cumulus.storage.blob.domain;

/**
 * Bytes durably stored: where, how many, and their MD5 (hex). Size and MD5 are those of the
 * plaintext even when the blob is {@code encrypted} at rest.
 *
 * @param path where the blob store keeps the bytes; null when they are {@code inline}
 * @param inline the bytes themselves when the store left them to the caller ({@link
 *     BlobStore#storeOrInline}): not durable until the caller commits them; null otherwise
 */
public record StoredBlob(String path, long size, String md5Hex, boolean encrypted, byte[] inline) {

  public StoredBlob(String path, long size, String md5Hex, boolean encrypted) {
    this(path, size, md5Hex, encrypted, null);
  }

  public StoredBlob(String path, long size, String md5Hex) {
    this(path, size, md5Hex, false, null);
  }

  /** Small plain bytes handed back to the caller instead of being written. */
  public static StoredBlob inline(byte[] bytes, String md5Hex) {
    return new StoredBlob(null, bytes.length, md5Hex, false, bytes);
  }
}
