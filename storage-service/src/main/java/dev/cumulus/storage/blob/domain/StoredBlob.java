package dev.cumulus.storage.blob.domain;

/**
 * Bytes durably stored: where, how many, and their MD5 (hex). Size and MD5 are those of the
 * plaintext even when the blob is {@code encrypted} at rest.
 */
public record StoredBlob(String path, long size, String md5Hex, boolean encrypted) {

  public StoredBlob(String path, long size, String md5Hex) {
    this(path, size, md5Hex, false);
  }
}
